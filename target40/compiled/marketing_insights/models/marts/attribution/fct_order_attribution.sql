-- one row per converting order: its revenue, journey summary and credited channel path
-- Incremental: the orders int_attribution__touchpoints rewrote since the last run are replaced;
-- orders that stopped converting are deleted first (pre-hook).

-- depends_on: "gen40"."intermediate"."int_attribution__conversions"

with touchpoints as (
    -- all journey rows of the orders the touchpoint model (re)wrote
    select * from "gen40"."intermediate"."int_attribution__touchpoints"
),

orders as (
    -- one row per order with its credited path in time order
    select
        store_id,
        order_id,
        min(customer_id)                                                        as customer_id,
        min(converted_at)                                                       as converted_at,
        min(converted_date)                                                     as converted_date,
        min(revenue)                                                            as revenue,
        min(profit)                                                             as profit,
        max(touch_count)                                                        as touch_count,
        count(session_id)                                                       as journey_session_count,
        string_agg(channel, ' > ' order by touch_position) filter (where is_credited) as channel_path
    from touchpoints
    group by store_id, order_id
),

first_touch as (
    -- the first credited touch: its channel, source and age (days to convert)
    select order_id, channel, source, touched_at, age_days
    from touchpoints where is_credited and touch_position = 1
),

last_touch as (
    -- the last credited touch
    select order_id, channel, source, touched_at
    from touchpoints where is_credited and touch_position = touch_count
)

select
    orders.store_id::text                                              as store_id,
    orders.order_id::text                                              as order_id,
    orders.customer_id::text                                           as customer_id,
    orders.converted_at::timestamptz                                   as converted_at,
    orders.converted_date::date                                        as converted_date,
    orders.revenue::numeric(14,2)                                      as revenue,
    orders.profit::numeric(14,2)                                       as profit,
    orders.touch_count::integer                                        as touch_count,
    coalesce(first_touch.channel, 'unattributed')::text                as first_touch_channel,
    coalesce(first_touch.source, 'unassigned')::text                   as first_touch_source,
    first_touch.touched_at::timestamptz                                as first_touch_at,
    coalesce(last_touch.channel, 'unattributed')::text                 as last_touch_channel,
    coalesce(last_touch.source, 'unassigned')::text                    as last_touch_source,
    last_touch.touched_at::timestamptz                                 as last_touch_at,
    round(first_touch.age_days::numeric, 4)::numeric(10,4)             as days_to_convert,
    orders.channel_path::text                                          as channel_path,
    orders.journey_session_count::integer                              as journey_session_count,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                                  as processed_at
from orders
left join first_touch on first_touch.order_id = orders.order_id
left join last_touch on last_touch.order_id = orders.order_id