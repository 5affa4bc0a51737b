-- Budget response curves fitted by the refresh (issue 18, part 4; insight_service/pipeline/budget_curves.py):
-- GET /budget/optimize allocates on them instead of fitting at request time. One set per store and
-- lookback (the refresh fits the default 90 days), replaced whole in one transaction; one row per
-- plan channel with the curve, its fit report, the current spend and the bootstrap refits.
create table if not exists app.budget_curve_sets (
    store_id          text not null check (store_id <> ''),
    lookback_days     integer not null check (lookback_days > 0),
    -- marts.mart_build_info.build_id of the marts fitted on: a set of another build is stale
    build_id          text not null,
    fitted_at         timestamptz not null default now(),
    -- the history fitted on (window_end = the store's last data date)
    window_start      date not null,
    window_end        date not null,
    holdout_days      integer not null,
    bootstrap_samples integer not null,
    bootstrap_seed    integer not null,
    -- channels without spend in the window: [{channel, reason, detail}]
    excluded          jsonb not null default '[]'::jsonb check (jsonb_typeof(excluded) = 'array'),
    -- the plan channels in the order of the history (the order of the response's scenarios)
    channel_order     text[] not null,
    fit_seconds       double precision,
    primary key (store_id, lookback_days),
    constraint budget_curve_sets_window check (window_start <= window_end)
);

create table if not exists app.budget_curves (
    store_id        text not null,
    lookback_days   integer not null,
    channel         text not null,
    position        integer not null,
    kind            text not null check (kind in ('hill_adstock', 'constant_roas')),
    -- Hill on adstock: revenue/day = beta * a^shape / (a^shape + half_saturation^shape), a = adstocked spend
    beta            double precision,
    half_saturation double precision,
    shape           double precision,
    carryover       double precision,
    -- constant ROAS fallback
    roas            double precision,
    r2              double precision,
    holdout_error   double precision,
    fallback_used   boolean not null,
    fallback_reason text,
    n_days          integer not null,
    n_spend_days    integer not null,
    granularity     text,
    -- cost of the last 30 days, and revenue / cost over the window
    current_spend   double precision not null,
    avg_roas        double precision not null,
    -- bootstrap refits, row-major: draw_width 4 = (carryover, shape, half_saturation, beta) per
    -- sample of a Hill curve, 1 = the ROAS of each sample of a constant-ROAS curve
    draw_width      integer check (draw_width in (1, 4)),
    draws           double precision[],
    primary key (store_id, lookback_days, channel),
    foreign key (store_id, lookback_days) references app.budget_curve_sets (store_id, lookback_days)
        on delete cascade,
    constraint budget_curves_params check (
        (kind = 'hill_adstock' and beta is not null and half_saturation is not null and shape is not null
         and carryover is not null)
        or (kind = 'constant_roas' and roas is not null))
);

-- the restamp of unchanged stores after a build (pipeline/budget_curves.py restamp)
create index if not exists budget_curve_sets_build_idx on app.budget_curve_sets (build_id);

comment on table app.budget_curve_sets is
    'Budget response curves fitted by insights refresh per store and lookback: the build id and history window they were fitted on; GET /budget/optimize uses them for that build only.';
comment on table app.budget_curves is
    'One fitted response curve per plan channel of a budget_curve_sets row: parameters, fit kind and fallback reason, holdout score, current spend and the bootstrap refits.';
