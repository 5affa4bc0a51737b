-- Insight lifecycle (issue 16): the window of the signal occurrence an insight was written from, so
-- that a dismissed or actioned insight is not recreated for the same occurrence and comes back only
-- for a later window after a cooldown (insight_service/insights/store.py, config.py).
alter table app.marketing_insights
    add column if not exists period_start date,
    add column if not exists period_end date;

-- Insights written before this migration carry their window in evidence.window (the signal's
-- evidence). A row whose evidence has no readable window keeps nulls: only the cooldown then holds
-- its signal back (a guess at its window could hide a signal for good).
do $$
declare
    r record;
begin
    for r in
        select id, evidence #>> '{window,start}' as w_start, evidence #>> '{window,end}' as w_end
        from app.marketing_insights
        where period_start is null and evidence #>> '{window,start}' is not null
    loop
        begin
            update app.marketing_insights
               set period_start = r.w_start::date, period_end = r.w_end::date
             where id = r.id and r.w_start::date <= coalesce(r.w_end::date, r.w_start::date);
        exception when invalid_datetime_format or datetime_field_overflow or invalid_text_representation then
            null;
        end;
    end loop;
end
$$;

alter table app.marketing_insights drop constraint if exists marketing_insights_window;
alter table app.marketing_insights add constraint marketing_insights_window
    check (period_start is null or period_end is null or period_start <= period_end);

-- the lifecycle lookup of generate: the closed insights of a (store, signal)
create index if not exists marketing_insights_closed_signal_idx
    on app.marketing_insights (store_id, signal_id, period_start)
    where status in ('dismissed', 'actioned');

comment on column app.marketing_insights.period_start is
    'first day (store-local) of the window of the signal occurrence the insight was last written from';
comment on column app.marketing_insights.period_end is
    'last day (store-local) of that window';
