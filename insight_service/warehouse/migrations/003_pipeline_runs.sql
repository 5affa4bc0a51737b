-- Pipeline runs (issue 14): one row per `insights refresh`, from the CLI or the scheduler.
-- Overlap is prevented by a session advisory lock (insight_service/pipeline/lock.py), not by
-- this table: a crashed run's row may stay `running` until the next refresh that gets the lock
-- marks it `failed` (abandoned). `/healthz` shows the last finished run.
create table if not exists app.pipeline_runs (
    run_id            bigint generated always as identity primary key,
    started_at        timestamptz not null default now(),
    finished_at       timestamptz,
    status            text not null check (status in ('running', 'success', 'failed', 'skipped_locked')),
    trigger           text not null check (trigger in ('cli', 'schedule')),
    -- [{name, started_at, duration_s, result, details}] in execution order
    steps             jsonb not null default '[]'::jsonb check (jsonb_typeof(steps) = 'array'),
    rows_written      bigint,
    dbt_invocation_id text,
    error             text,
    -- true when the raw signature equalled the last success's: nothing was built
    no_new_data       boolean not null default false,
    summary           text,
    dbt_args          text[] not null default '{}',
    -- what the run saw before building: per raw table max(_loaded_at) + pg_stat_user_tables
    -- insert/update/delete counters, the dbt project fingerprint, args and target env
    raw_signature     jsonb,
    signature_digest  text,
    -- mart rows stamped (built_at / processed_at) up to here had their insights generated
    marts_watermark   timestamptz,
    changed_stores    text[],
    build_id          text,
    host              text,
    pid               integer,
    constraint pipeline_runs_finished_at check ((status = 'running') = (finished_at is null))
);

-- the last successful run (change detection) and the last finished one (/healthz)
create index if not exists pipeline_runs_success_idx on app.pipeline_runs (run_id desc) where status = 'success';
create index if not exists pipeline_runs_finished_idx
    on app.pipeline_runs (finished_at desc) where status in ('success', 'failed');

comment on table app.pipeline_runs is
    'One row per insights refresh (trigger cli or schedule): status running/success/failed/skipped_locked, steps with durations and results, rows written by dbt, the dbt invocation id, the error of a failed run.';

-- Daily insight generation of `insights schedule`: one row per store and store-local day,
-- written after the store's insights were generated (so each local day fires once).
create table if not exists app.pipeline_daily_insights (
    store_id     text not null check (store_id <> ''),
    local_date   date not null,
    generated_at timestamptz not null default now(),
    result       jsonb not null default '{}'::jsonb,
    primary key (store_id, local_date)
);

comment on table app.pipeline_daily_insights is
    'Store-local days for which insights schedule generated the daily insights (insights-hour in the store timezone of marts.dim_stores).';
