-- Revenue credited to each channel by each rule-based model, side by side, for one store.
-- dbt show --select attribution_model_comparison --vars '{comparison_store: demo-fashion-us}'
select
    channel,
    sum(attributed_revenue) filter (where model = 'first_touch')    as first_touch,
    sum(attributed_revenue) filter (where model = 'last_touch')     as last_touch,
    sum(attributed_revenue) filter (where model = 'linear')         as linear,
    sum(attributed_revenue) filter (where model = 'position_based') as position_based,
    sum(attributed_revenue) filter (where model = 'time_decay')     as time_decay
from {{ ref('fct_channel_attribution_daily') }}
where store_id = '{{ var("comparison_store", "demo-fashion-us") }}'
group by channel
order by linear desc
