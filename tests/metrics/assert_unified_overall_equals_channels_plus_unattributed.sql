-- fct_unified_metrics: the store rollup (`overall`) equals the sum of the channel rollups for every additive
-- column, plus, for conversions/revenue/profit/marketing_profit, the unattributed orders it alone carries
-- (DECISIONLOG).
-- Incremental runs check the periods the run rewrote. The checkpoint's check
-- `fct_unified_metrics.overall_equals_channels` (tests/metrics/schema.yml).
{%- set additive = metrics_additive_columns() %}
{%- set attributed = metrics_attributed_columns() %}

with channels as (
    select
        store_id, period, period_start,
        {{ rollup_part_sums() }}
    from {{ ref('fct_unified_metrics') }} as unified
    where source = 'all' and channel <> 'overall' {{ checked_periods_only('unified') }}
    group by store_id, period, period_start
),

overall as (
    select * from {{ ref('fct_unified_metrics') }} as unified
    where channel = 'overall' {{ checked_periods_only('unified') }}
)

select
    overall.store_id, overall.period, overall.period_start,
    overall.revenue as overall_revenue, channels.revenue as channel_revenue,
    overall.unattributed_revenue, overall.sessions as overall_sessions, channels.sessions as channel_sessions,
    overall.cost as overall_cost, channels.cost as channel_cost
from overall
left join channels
    on channels.store_id = overall.store_id
   and channels.period = overall.period
   and channels.period_start = overall.period_start
where
   {%- for column in additive if column not in attributed and not column.startswith('unattributed_') %}
   {%- if column in ['impressions', 'clicks', 'engagements'] %}
   overall.{{ column }} is distinct from channels.{{ column }}
   {%- else %}
   -- a day with only unattributed orders has an overall row and no channel row
   overall.{{ column }} <> coalesce(channels.{{ column }}, 0)
   {%- endif %}
   or
   {%- endfor %}
   {%- for column in attributed %}
   overall.{{ column }} <> coalesce(channels.{{ column }}, 0) + overall.unattributed_{{ column }}
   or
   {%- endfor %}
   -- profit after marketing: the unattributed orders bring their profit and no cost
   overall.marketing_profit <> coalesce(channels.marketing_profit, 0) + overall.unattributed_profit
   or
   overall.unique_visitors < coalesce(channels.max_unique_visitors, 0)
   or overall.unique_visitors > coalesce(channels.sum_unique_visitors, 0)
   -- a store-period with channel rows always has its overall row
union all
select
    channels.store_id, channels.period, channels.period_start,
    null, channels.revenue, null, null, channels.sessions, null, channels.cost
from channels
left join overall
    on overall.store_id = channels.store_id
   and overall.period = channels.period
   and overall.period_start = channels.period_start
where overall.store_id is null
