-- Attributed revenue equals the revenue of the converting orders (staging truth: the order rules
-- of macros/orders.sql on stg_shop__orders), and the daily channel mart equals the credits.
-- Full checks: per store and model, credits and the daily mart against the converting orders, and
-- per (store, model, channel, month) the daily mart against the credits. Incremental runs: per
-- order and model for the orders the run re-credited, and per store, day and model for the days
-- it rebuilt. Every branch returns the same columns (null where they do not apply): the
-- checkpoint's offenders of `fct_channel_attribution_daily.equals_credits` (tests/attribution/schema.yml).
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

credited_months as (
    -- one pass over the credits, rolled up again per store and model below
    select store_id, model, channel, {{ period_start('month', 'converted_date') }} as month_start,
           sum(credited_conversions) as conversions, sum(credited_revenue) as revenue
    from {{ ref('fct_attribution_credits') }}
    group by 1, 2, 3, 4
),

daily_months as (
    select store_id, model, channel, {{ period_start('month', 'date') }} as month_start,
           sum(attributed_conversions) as conversions, sum(attributed_revenue) as revenue
    from {{ ref('fct_channel_attribution_daily') }}
    group by 1, 2, 3, 4
),

credited as (
    select store_id, model, sum(conversions) as conversions, sum(revenue) as revenue
    from credited_months
    group by store_id, model
),

daily as (
    select store_id, model, sum(conversions) as conversions, sum(revenue) as revenue
    from daily_months
    group by store_id, model
)

select
    truth.store_id, credited.model, null::{{ text_type() }} as channel, null::date as month_start, null::date as date,
    null::{{ text_type() }} as order_id, truth.revenue as converting_revenue, credited.revenue as credited_revenue,
    daily.revenue as daily_revenue, credited.conversions as credited_conversions,
    daily.conversions as daily_conversions
from truth
left join credited on credited.store_id = truth.store_id
left join daily on daily.store_id = truth.store_id and daily.model = credited.model
where credited.model is null
   or credited.revenue <> truth.revenue
   or abs(credited.conversions - truth.orders) > 0.000001
   or daily.revenue is distinct from truth.revenue
   or abs(daily.conversions - truth.orders) > 0.001
union all
select
    coalesce(daily_months.store_id, credited_months.store_id), coalesce(daily_months.model, credited_months.model),
    coalesce(daily_months.channel, credited_months.channel),
    coalesce(daily_months.month_start, credited_months.month_start), null, null, null,
    credited_months.revenue as credited_revenue, daily_months.revenue as daily_revenue,
    credited_months.conversions as credited_conversions, daily_months.conversions as daily_conversions
from daily_months
full outer join credited_months
    on credited_months.store_id = daily_months.store_id and credited_months.model = daily_months.model
   and credited_months.channel = daily_months.channel and credited_months.month_start = daily_months.month_start
where daily_months.revenue is distinct from credited_months.revenue
   or abs(coalesce(daily_months.conversions, 0) - coalesce(credited_months.conversions, 0)) > 0.001
{% else %}
with batch as (
    select * from {{ ref('fct_attribution_credits') }} as credits
    where true {{ latest_batch_only('credits.processed_at', ref('fct_attribution_credits')) }}
),

per_order as (
    select
        batch.store_id, batch.order_id, batch.model,
        sum(batch.credited_revenue) as revenue, sum(batch.credited_conversions) as conversions
    from batch
    group by batch.store_id, batch.order_id, batch.model
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
    -- per day a lateral lookup through the (store_id, converted_date) index: a join on the day list
    -- let PostgreSQL merge-join every credit in history (13 s at scale 40)
    select days.store_id, days.date, credited.model, credited.revenue, credited.conversions
    from days
    cross join lateral (
        select credits.model,
               sum(credits.credited_revenue) as revenue, sum(credits.credited_conversions) as conversions
        from {{ ref('fct_attribution_credits') }} as credits
        where credits.store_id = days.store_id and credits.converted_date = days.date
        group by credits.model
    ) as credited
),

daily as (
    -- the same per-day lookup in the daily mart
    select days.store_id, days.date, rolled.model, rolled.revenue, rolled.conversions
    from days
    cross join lateral (
        select daily.model,
               sum(daily.attributed_revenue) as revenue, sum(daily.attributed_conversions) as conversions
        from {{ ref('fct_channel_attribution_daily') }} as daily
        where daily.store_id = days.store_id and daily.date = days.date
        group by daily.model
    ) as rolled
)

select
    per_order.store_id, per_order.model, null::{{ text_type() }} as channel, null::date as month_start,
    null::date as date,
    per_order.order_id, truth.revenue as converting_revenue, per_order.revenue as credited_revenue,
    null::numeric as daily_revenue, per_order.conversions as credited_conversions,
    null::numeric as daily_conversions
from per_order
left join truth on truth.order_id = per_order.order_id
where truth.revenue is distinct from per_order.revenue or abs(per_order.conversions - 1) > 0.000001
union all
select
    credited_days.store_id, credited_days.model, null, null, credited_days.date, null, null,
    credited_days.revenue as credited_revenue, daily.revenue as daily_revenue,
    credited_days.conversions as credited_conversions, daily.conversions as daily_conversions
from credited_days
left join daily
    on daily.store_id = credited_days.store_id and daily.date = credited_days.date
   and daily.model = credited_days.model
where daily.revenue is distinct from credited_days.revenue
   or abs(coalesce(daily.conversions, 0) - credited_days.conversions) > 0.001
{% endif %}
