-- Attributed revenue equals the revenue of the converting orders (staging truth: the order rules
-- of macros/orders.sql on stg_shop__orders), and the daily channel mart adds up to the same.
-- Full checks: per store and model over everything. Incremental runs: per order and model for the
-- orders the run re-credited, and per store, day and model for the days it rebuilt.
-- both branches' inputs, declared for the DAG:
-- depends_on: {{ ref('stg_shop__stores') }}
-- depends_on: {{ ref('fct_channel_attribution_daily') }}
{% if full_checks() %}
with truth as (
    select orders.store_id, count(*) as orders, sum({{ order_revenue('orders') }}) as revenue
    from {{ ref('stg_shop__orders') }} as orders
    inner join {{ ref('stg_shop__stores') }} as stores on stores.store_id = orders.store_id
    where {{ order_is_conversion('orders') }}
    group by orders.store_id
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

select truth.store_id as checked_key, credited.model, truth.revenue,
       credited.revenue as credited_revenue, daily.revenue as daily_revenue
from truth
left join credited on credited.store_id = truth.store_id
left join daily on daily.store_id = truth.store_id and daily.model = credited.model
where credited.model is null
   or credited.revenue <> truth.revenue
   or abs(credited.conversions - truth.orders) > 0.000001
   or daily.revenue is distinct from truth.revenue
   or abs(daily.conversions - truth.orders) > 0.001
{% else %}
with batch as (
    select * from {{ ref('fct_attribution_credits') }} as credits
    where true {{ latest_batch_only('credits.processed_at', ref('fct_attribution_credits')) }}
),

per_order as (
    select
        batch.order_id, batch.model,
        sum(batch.credited_revenue) as revenue, sum(batch.credited_conversions) as conversions
    from batch
    group by batch.order_id, batch.model
),

truth as (
    select orders.order_id, {{ order_revenue('orders') }} as revenue
    from {{ ref('stg_shop__orders') }} as orders
    where orders.order_id in (select batch.order_id from batch) and {{ order_is_conversion('orders') }}
),

days as (
    select distinct store_id, converted_date as date from batch
),

credited_days as (
    select credits.store_id, credits.converted_date as date, credits.model,
           sum(credits.credited_revenue) as revenue, sum(credits.credited_conversions) as conversions
    from {{ ref('fct_attribution_credits') }} as credits
    inner join days on days.store_id = credits.store_id and days.date = credits.converted_date
    group by 1, 2, 3
),

daily as (
    select daily.store_id, daily.date, daily.model,
           sum(daily.attributed_revenue) as revenue, sum(daily.attributed_conversions) as conversions
    from {{ ref('fct_channel_attribution_daily') }} as daily
    inner join days on days.store_id = daily.store_id and days.date = daily.date
    group by 1, 2, 3
)

select
    per_order.order_id as checked_key, per_order.model, truth.revenue,
    per_order.revenue as credited_revenue, null as daily_revenue
from per_order
left join truth on truth.order_id = per_order.order_id
where truth.revenue is distinct from per_order.revenue or abs(per_order.conversions - 1) > 0.000001
union all
select
    credited_days.store_id || '|' || credited_days.date, credited_days.model, null, credited_days.revenue,
    daily.revenue as daily_revenue
from credited_days
left join daily
    on daily.store_id = credited_days.store_id and daily.date = credited_days.date
   and daily.model = credited_days.model
where daily.revenue is distinct from credited_days.revenue
   or abs(coalesce(daily.conversions, 0) - credited_days.conversions) > 0.001
{% endif %}
