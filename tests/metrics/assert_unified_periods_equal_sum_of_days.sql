-- fct_unified_metrics: every weekly and monthly row equals the sum of its daily rows (same store, channel,
-- source) for every additive column; distinct visitors lie between the busiest day and the sum of the days.
-- Incremental runs check the weeks and months the run rewrote. The checkpoint's check
-- `fct_unified_metrics.periods_equal_sum_of_days` (tests/metrics/schema.yml).
{%- for period, unit in metrics_rollup_periods() %}
{% if not loop.first %}union all{% endif %}
select
    '{{ period }}' as period, coalesce(rolled.store_id, days.store_id) as store_id,
    coalesce(rolled.channel, days.channel) as channel, coalesce(rolled.source, days.source) as source,
    coalesce(rolled.period_start, days.period_start) as period_start,
    rolled.sessions as rollup_sessions, days.sessions as parts_sessions,
    rolled.cost as rollup_cost, days.cost as parts_cost,
    rolled.revenue as rollup_revenue, days.revenue as parts_revenue
from (
    select * from {{ ref('fct_unified_metrics') }} as unified
    where period = '{{ period }}' {{ checked_periods_only('unified') }}
) as rolled
full outer join (
    select days_all.*
    from (
        select
            store_id, channel, source, {{ period_start(unit, 'period_start') }} as period_start,
            {{ rollup_part_sums() }}
        from {{ ref('fct_unified_metrics') }}
        where period = 'daily'
        group by store_id, channel, source, {{ period_start(unit, 'period_start') }}
    ) as days_all
    where true {{ checked_periods_only('days_all', "'" ~ period ~ "'") }}
) as days
    on days.store_id = rolled.store_id
   and days.channel = rolled.channel
   and days.source = rolled.source
   and days.period_start = rolled.period_start
where {{ rollup_mismatch('rolled', 'days') }}
{%- endfor %}
