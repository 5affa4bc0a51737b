-- Forecasts (issue 18): per store, metric and channel (or 'overall'), one row per store-local day after
-- the store's last data day, fitted by the refresh (insight_service/forecast, pipeline/forecasts.py)
-- and read by GET /forecast; never fitted at request time. A store's rows are replaced in one
-- transaction per fit (forecast/store.py).
create table if not exists app.forecasts (
    store_id text not null,
    metric text not null check (metric in ('revenue', 'cost', 'conversions', 'sessions')),
    channel text not null,
    day date not null,
    value double precision not null,
    lower_80 double precision not null,
    upper_80 double precision not null,
    lower_95 double precision not null,
    upper_95 double precision not null,
    primary key (store_id, metric, channel, day),
    constraint forecasts_bounds check (0 <= lower_95 and lower_95 <= lower_80 and lower_80 <= value
                                       and value <= upper_80 and upper_80 <= upper_95)
);

-- One row per fitted series: the model chosen and what it was fitted on.
create table if not exists app.forecast_series (
    store_id text not null,
    metric text not null,
    channel text not null,
    model text not null,
    fitted_at timestamptz not null,
    last_data_date date not null,
    calibration jsonb not null default '{}'::jsonb,
    primary key (store_id, metric, channel)
);

-- One row per store fitted: when, on which data, and whether it had enough history.
create table if not exists app.forecast_stores (
    store_id text primary key,
    status text not null check (status in ('ok', 'insufficient_history', 'no_data')),
    fitted_at timestamptz not null,
    last_data_date date,
    history_days integer not null,
    series integer not null,
    duration_s double precision not null
);

comment on table app.forecasts is
    'daily forecasts with 80 %/95 % intervals per (store, metric, channel), written by insights refresh';
comment on column app.forecast_stores.status is
    'ok: forecasts written; insufficient_history: fewer days than a forecast needs (no rows); no_data';
