-- fct_unified_metrics: every channel rollup (source `all`) equals the sum of its source rows for every
-- additive column, and a rollup exists exactly when source rows exist. Returns the mismatching rows.
-- Incremental runs check the periods the run rewrote. The checkpoint's check
-- `fct_unified_metrics.channel_rollup_equals_sources` (tests/metrics/schema.yml).
with sources as (
    select
        store_id, channel, period, period_start,
        {{ rollup_part_sums() }}
    from {{ ref('fct_unified_metrics') }} as unified
    where source <> 'all' {{ checked_periods_only('unified') }}
    group by store_id, channel, period, period_start
),

rollups as (
    select * from {{ ref('fct_unified_metrics') }} as unified
    where source = 'all' and channel <> 'overall' {{ checked_periods_only('unified') }}
)

select
    coalesce(rollups.store_id, sources.store_id) as store_id,
    coalesce(rollups.channel, sources.channel) as channel,
    coalesce(rollups.period, sources.period) as period,
    coalesce(rollups.period_start, sources.period_start) as period_start,
    rollups.sessions as rollup_sessions, sources.sessions as parts_sessions,
    rollups.cost as rollup_cost, sources.cost as parts_cost,
    rollups.revenue as rollup_revenue, sources.revenue as parts_revenue
from rollups
full outer join sources
    on sources.store_id = rollups.store_id
   and sources.channel = rollups.channel
   and sources.period = rollups.period
   and sources.period_start = rollups.period_start
where {{ rollup_mismatch('rollups', 'sources') }}
