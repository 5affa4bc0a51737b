-- one row per (order, model, credited touchpoint): the five rule-based attribution models
-- Incremental: the orders int_attribution__touchpoints rewrote since the last run are replaced;
-- orders that stopped converting are deleted first (pre-hook).
{{ config(
    materialized='incremental',
    partition_by=spark_store_partitions(),
    unique_key='order_id',
    incremental_strategy=incremental_strategy_for('delete+insert'),
    on_schema_change='fail',
    indexes=[
        {'columns': ['order_id']},
        {'columns': ['store_id', 'converted_date']},
        {'columns': ['processed_at'], 'type': 'brin'},
    ],
    pre_hook="{{ delete_orders_that_stopped_converting() }}",
    post_hook="{{ run_watermark_post_hook() }}",
) }}
-- depends_on: {{ ref('int_attribution__conversions') }}

{% set half_life = var('attribution_half_life_days') | float %}
{#- the touchpoint columns in one order for every branch of `shares` (on Spark the partition
    column store_id comes last in the table, so `touchpoints.*` would not line up) -#}
{% set touch_columns = ['store_id', 'order_id', 'customer_id', 'person_key', 'converted_at', 'converted_date',
                        'revenue', 'profit', 'session_id', 'channel', 'source', 'touched_at', 'is_credited',
                        'touch_position', 'touch_count', 'age_days', 'processed_at'] %}

with touches as (
    -- credited touches (direct rule applied) of the orders to (re)write; an order without a touch
    -- has one `unattributed` row (touch_count 0) that every model credits in full
    select
        {%- for column in touch_columns %}
        touchpoints.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('int_attribution__touchpoints') }} as touchpoints
    where touchpoints.is_credited
    {%- if incremental_batch() %}
      and touchpoints.processed_at > {{ model_watermark() }}
    {%- endif %}
),

decayed as (
    -- time decay: weight 2^(-age/half_life) on fractional days, normalised over the order's touches
    select
        touches.*,
        {{ float_to_numeric('power(2.0::' ~ float8_type() ~ ', -touches.age_days / ' ~ half_life ~ ')
         / sum(power(2.0::' ~ float8_type() ~ ', -touches.age_days / ' ~ half_life ~ ')) over (partition by touches.order_id)',
            'decimal(21,20)') }}
            as raw_fraction
    from touches
    where touches.touch_count > 0
),

decay_rounding as (
    -- the shares differ per touch: the sums of their rounded values, and which touch holds the
    -- residue (the largest share, the earliest on ties), need the whole order
    select
        decayed.*,
        sum(round(decayed.raw_fraction, 12)) over order_touches                   as fraction_sum,
        sum(round(decayed.revenue * decayed.raw_fraction, 2)) over order_touches  as revenue_sum,
        sum(round(decayed.profit * decayed.raw_fraction, 2)) over order_touches   as profit_sum,
        max(decayed.raw_fraction) over order_touches                              as largest_fraction
    from decayed
    window order_touches as (partition by order_id)
),

shares as (
    -- each model's share of a touch, and the sums of the order's rounded shares that the residue
    -- holder (the largest share, the earliest touch on ties) tops up to exactly 1 and to the order's
    -- revenue and profit. One branch per model: first and last touch need no arithmetic, linear and
    -- position-based shares are known from the touch count, time decay is summed above.
    {%- set n = 'touch_count' %}
    {%- set middle = '(' ~ fraction_quotient('0.2', '(touch_count - 2)') ~ ')' %}
    select touches.*, 'first_touch'::{{ text_type() }} as model, {{ fraction_value('1::numeric') }} as raw_fraction,
           true as is_residue_holder,
           1::numeric as fraction_sum, touches.revenue as revenue_sum, touches.profit as profit_sum
    from touches where touches.touch_count = 0 or touches.touch_position = 1
    union all
    select touches.*, 'last_touch', {{ fraction_value('1::numeric') }}, true, 1::numeric, revenue, profit
    from touches where touch_count = 0 or touch_position = touch_count
    union all
    select touches.*, 'linear',
           {{ fraction_value('case when touch_count = 0 then 1::numeric else '
                             ~ fraction_quotient('1::numeric', n) ~ ' end') }},
           coalesce(touch_position, 1) = 1,
           case when touch_count = 0 then 1::numeric
                else {{ n }} * round({{ fraction_quotient('1::numeric', n) }}, 12) end,
           case when touch_count = 0 then revenue
                else {{ n }} * round(revenue * ({{ fraction_quotient('1::numeric', n) }}), 2) end,
           case when touch_count = 0 then profit
                else {{ n }} * round(profit * ({{ fraction_quotient('1::numeric', n) }}), 2) end
    from touches
    union all
    select touches.*, 'position_based',
           {{ fraction_value('case when touch_count <= 1 then 1::numeric
                when touch_count = 2 then 0.5
                when touch_position in (1, touch_count) then 0.4
                else ' ~ middle ~ ' end') }},
           coalesce(touch_position, 1) = 1,
           case when touch_count <= 2 then 1::numeric
                else 0.8 + ({{ n }} - 2) * round({{ middle }}, 12) end,
           case when touch_count <= 1 then revenue
                when touch_count = 2 then 2 * round(revenue * 0.5, 2)
                else 2 * round(revenue * 0.4, 2) + ({{ n }} - 2) * round(revenue * {{ middle }}, 2) end,
           case when touch_count <= 1 then profit
                when touch_count = 2 then 2 * round(profit * 0.5, 2)
                else 2 * round(profit * 0.4, 2) + ({{ n }} - 2) * round(profit * {{ middle }}, 2) end
    from touches
    union all
    select touches.*, 'time_decay', {{ fraction_value('1::numeric') }}, true, 1::numeric, revenue, profit
    from touches where touch_count = 0
    union all
    select
        {%- for column in touch_columns %}
        {{ column }},
        {%- endfor %}
        'time_decay', raw_fraction,
        touch_position
        = min(touch_position) filter (where raw_fraction = largest_fraction) over (partition by order_id),
        fraction_sum, revenue_sum, profit_sum
    from decay_rounding
),

reconciled as (
    -- fractions to 12 places and money to the cent; the residue holder takes what rounding left over
    select
        shares.*,
        round(shares.raw_fraction, 12) + case when shares.is_residue_holder then 1 - shares.fraction_sum else 0 end
            as credit_fraction,
        round(shares.revenue * shares.raw_fraction, 2)
        + case when shares.is_residue_holder then shares.revenue - shares.revenue_sum else 0 end
            as credited_revenue,
        round(shares.profit * shares.raw_fraction, 2)
        + case when shares.is_residue_holder then shares.profit - shares.profit_sum else 0 end
            as credited_profit
    from shares
)

select
    store_id::{{ text_type() }}                                  as store_id,
    order_id::{{ text_type() }}                                  as order_id,
    customer_id::{{ text_type() }}                               as customer_id,
    model::{{ text_type() }}                                     as model,
    session_id::{{ text_type() }}                                as touchpoint_id,
    channel::{{ text_type() }}                                   as channel,
    source::{{ text_type() }}                                    as source,
    touched_at::{{ tstz_type() }}                         as touched_at,
    converted_at::{{ tstz_type() }}                       as converted_at,
    converted_date::date                            as converted_date,
    touch_position::integer                         as touch_position,
    touch_count::integer                            as touch_count,
    credit_fraction::numeric(18,12)                 as credit_fraction,
    credit_fraction::numeric(18,12)                 as credited_conversions,
    credited_revenue::numeric(14,2)                 as credited_revenue,
    credited_profit::numeric(14,2)                  as credited_profit,
    {{ run_stamp() }}                               as processed_at
from reconciled
