-- Revenue credited to each channel by each rule-based model, side by side, for one store.
-- dbt show --select attribution_model_comparison --vars '{comparison_store: demo-fashion-us}'
select
    channel,
    {%- for model in attribution_rule_models() %}
    sum(attributed_revenue) filter (where model = '{{ model }}') as {{ model }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ ref('fct_channel_attribution_daily') }}
where store_id = '{{ var("comparison_store", "demo-fashion-us") }}'
group by channel
order by linear desc
