-- For every store and model, attributed revenue equals the revenue of its converting orders
-- (staging truth), and the daily channel mart adds up to the same.
with truth as (
    select store_id, count(*) as orders, sum(revenue) as revenue
    from {{ ref('stg_shop__orders') }}
    where is_conversion
    group by store_id
),

credited as (
    select store_id, model, sum(credited_conversions) as conversions, sum(credited_revenue) as revenue
    from {{ ref('fct_attribution_credits') }}
    group by store_id, model
),

daily as (
    select store_id, model, sum(attributed_conversions) as conversions, sum(attributed_revenue) as revenue
    from {{ ref('fct_channel_attribution_daily') }}
    group by store_id, model
)

select truth.store_id, credited.model, truth.orders, truth.revenue,
       credited.conversions, credited.revenue as credited_revenue,
       daily.conversions as daily_conversions, daily.revenue as daily_revenue
from truth
left join credited on credited.store_id = truth.store_id
left join daily on daily.store_id = truth.store_id and daily.model = credited.model
where credited.model is null
   or credited.revenue <> truth.revenue
   or abs(credited.conversions - truth.orders) > 0.000001
   or daily.revenue is distinct from truth.revenue
   or abs(daily.conversions - truth.orders) > 0.001
