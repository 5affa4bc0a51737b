-- fct_unified_metrics: every weekly and monthly row equals the sum of its daily rows (same store, channel,
-- source) for every additive column; distinct visitors lie between the busiest day and the sum of the days.
{%- set additive = metrics_additive_columns() %}

{%- for period, unit in metrics_rollup_periods() %}
{% if not loop.first %}union all{% endif %}
select
    '{{ period }}' as period, coalesce(rolled.store_id, days.store_id) as store_id,
    coalesce(rolled.channel, days.channel) as channel, coalesce(rolled.source, days.source) as source,
    coalesce(rolled.period_start, days.period_start) as period_start
from (
    select * from {{ ref('fct_unified_metrics') }} where period = '{{ period }}'
) as rolled
full outer join (
    select
        store_id, channel, source, {{ period_start(unit, 'period_start') }} as period_start,
        {%- for column in additive %}
        sum({{ column }}) as {{ column }},
        {%- endfor %}
        max(unique_visitors) as max_unique_visitors,
        sum(unique_visitors) as sum_unique_visitors
    from {{ ref('fct_unified_metrics') }}
    where period = 'daily'
    group by store_id, channel, source, {{ period_start(unit, 'period_start') }}
) as days
    on days.store_id = rolled.store_id
   and days.channel = rolled.channel
   and days.source = rolled.source
   and days.period_start = rolled.period_start
where rolled.store_id is null
   or days.store_id is null
   {%- for column in additive %}
   or rolled.{{ column }} is distinct from days.{{ column }}
   {%- endfor %}
   or rolled.unique_visitors < days.max_unique_visitors
   or rolled.unique_visitors > days.sum_unique_visitors
{%- endfor %}
