-- fct_unified_metrics: every channel rollup (source `all`) equals the sum of its source rows for every
-- additive column, and a rollup exists exactly when source rows exist. Returns the mismatching rows.
{%- set additive = metrics_additive_columns() %}

with sources as (
    select
        store_id, channel, period, period_start,
        {%- for column in additive %}
        sum({{ column }}) as {{ column }},
        {%- endfor %}
        max(unique_visitors) as max_unique_visitors,
        sum(unique_visitors) as sum_unique_visitors
    from {{ ref('fct_unified_metrics') }}
    where source <> 'all'
    group by store_id, channel, period, period_start
),

rollups as (
    select * from {{ ref('fct_unified_metrics') }}
    where source = 'all' and channel <> 'overall'
)

select
    coalesce(rollups.store_id, sources.store_id) as store_id,
    coalesce(rollups.channel, sources.channel) as channel,
    coalesce(rollups.period, sources.period) as period,
    coalesce(rollups.period_start, sources.period_start) as period_start
from rollups
full outer join sources
    on sources.store_id = rollups.store_id
   and sources.channel = rollups.channel
   and sources.period = rollups.period
   and sources.period_start = rollups.period_start
where rollups.store_id is null
   or sources.store_id is null
   {%- for column in additive %}
   or rollups.{{ column }} is distinct from sources.{{ column }}
   {%- endfor %}
   -- distinct visitors of a channel: at least the largest source's, at most their sum
   or rollups.unique_visitors < sources.max_unique_visitors
   or rollups.unique_visitors > sources.sum_unique_visitors
