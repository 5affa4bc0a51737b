-- one row per converting order: its revenue, journey summary and credited channel path
-- Incremental: the orders int_attribution__touchpoints rewrote since the last run are replaced;
-- orders that stopped converting are deleted first (pre-hook).
{{ config(
    materialized='incremental',
    partition_by=spark_store_partitions(),
    unique_key='order_id',
    incremental_strategy=incremental_strategy_for('delete+insert'),
    on_schema_change='fail',
    indexes=[
        {'columns': ['order_id'], 'unique': true},
        {'columns': ['store_id', 'converted_date']},
        {'columns': ['processed_at'], 'type': 'brin'},
    ],
    pre_hook="{{ delete_orders_that_stopped_converting() }}",
    post_hook="{{ run_watermark_post_hook() }}",
) }}
-- depends_on: {{ ref('int_attribution__conversions') }}

with touchpoints as (
    -- all journey rows of the orders the touchpoint model (re)wrote
    select * from {{ ref('int_attribution__touchpoints') }}
    {%- if incremental_batch() %}
    where processed_at > {{ model_watermark() }}
    {%- endif %}
),

orders as (
    -- one row per order: its credited path in time order and its first and last credited touch,
    -- in one aggregate (no self-joins: a batch's size is unknown to the planner)
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
        {{ ordered_string_agg('channel', "' > '", ['touch_position'], 'is_credited') }} as channel_path,
        min(channel) filter (where is_credited and touch_position = 1)          as first_touch_channel,
        min(source) filter (where is_credited and touch_position = 1)           as first_touch_source,
        min(touched_at) filter (where is_credited and touch_position = 1)       as first_touch_at,
        min(age_days) filter (where is_credited and touch_position = 1)         as first_touch_age_days,
        min(channel) filter (where is_credited and touch_position = touch_count) as last_touch_channel,
        min(source) filter (where is_credited and touch_position = touch_count)  as last_touch_source,
        min(touched_at) filter (where is_credited and touch_position = touch_count) as last_touch_at
    from touchpoints
    group by store_id, order_id
)

select
    orders.store_id::{{ text_type() }}                                              as store_id,
    orders.order_id::{{ text_type() }}                                              as order_id,
    orders.customer_id::{{ text_type() }}                                           as customer_id,
    orders.converted_at::{{ tstz_type() }}                                   as converted_at,
    orders.converted_date::date                                        as converted_date,
    orders.revenue::numeric(14,2)                                      as revenue,
    orders.profit::numeric(14,2)                                       as profit,
    orders.touch_count::integer                                        as touch_count,
    coalesce(orders.first_touch_channel, 'unattributed')::{{ text_type() }}         as first_touch_channel,
    coalesce(orders.first_touch_source, 'unassigned')::{{ text_type() }}            as first_touch_source,
    orders.first_touch_at::{{ tstz_type() }}                                 as first_touch_at,
    coalesce(orders.last_touch_channel, 'unattributed')::{{ text_type() }}          as last_touch_channel,
    coalesce(orders.last_touch_source, 'unassigned')::{{ text_type() }}             as last_touch_source,
    orders.last_touch_at::{{ tstz_type() }}                                  as last_touch_at,
    round({{ float_to_numeric('orders.first_touch_age_days') }}, 4)::numeric(10,4) as days_to_convert,
    orders.channel_path::{{ text_type() }}                                          as channel_path,
    orders.journey_session_count::integer                              as journey_session_count,
    {{ run_stamp() }}                                                  as processed_at
from orders
