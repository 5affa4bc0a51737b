
    -- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "order_id","model","touchpoint_id","channel","credit_fraction","credited_revenue","credited_profit", 'actual' as "actual_or_expected"
  from (
    -- one row per (order, model, credited touchpoint): the five rule-based attribution models
-- Incremental: the orders int_attribution__touchpoints rewrote since the last run are replaced;
-- orders that stopped converting are deleted first (pre-hook).

-- depends_on: __dbt__cte__int_attribution__conversions



with  __dbt__cte__int_attribution__conversions as (

-- Fixture for int_attribution__conversions
select cast(null as text) as "store_id", cast(null as text) as "order_id", cast(null as text) as "customer_id", cast(null as text) as "person_key", cast(null as text) as "visitor_id", cast(null as timestamp with time zone) as "converted_at", cast(null as date) as "converted_date", cast(null as numeric(14,2)) as "revenue", cast(null as numeric(14,2)) as "profit", cast(null as timestamp with time zone) as "previous_order_at", cast(null as timestamp with time zone) as "loaded_at", cast(null as boolean) as "is_removed", cast(null as date) as "previous_converted_date", cast(null as timestamp with time zone) as "processed_at"
    limit 0
),  __dbt__cte__int_attribution__touchpoints as (

-- Fixture for int_attribution__touchpoints
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('o1' as text)
 as "order_id", 
    
    cast('c1' as text)
 as "customer_id", cast(null as text) as "person_key", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-10' as date)
 as "converted_date", 
    
    cast(80.0 as numeric(14,2))
 as "revenue", 
    
    cast(30.0 as numeric(14,2))
 as "profit", 
    
    cast('t1' as text)
 as "session_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('article:a1' as text)
 as "source", 
    
    cast('2025-03-09 12:00:00+00' as timestamp with time zone)
 as "touched_at", 
    
    cast(True as boolean)
 as "is_credited", 
    
    cast(1 as integer)
 as "touch_position", 
    
    cast(1 as integer)
 as "touch_count", 
    
    cast(1.0 as double precision)
 as "age_days", cast(null as timestamp with time zone) as "processed_at"
), touches as (
    -- credited touches (direct rule applied) of the orders to (re)write; an order without a touch
    -- has one `unattributed` row (touch_count 0) that every model credits in full
    select touchpoints.*
    from __dbt__cte__int_attribution__touchpoints as touchpoints
    where touchpoints.is_credited
),

decayed as (
    -- time decay: weight 2^(-age/half_life) on fractional days, normalised over the order's touches
    select
        touches.*,
        (power(2.0::float8, -touches.age_days / 7.0)
         / sum(power(2.0::float8, -touches.age_days / 7.0)) over (partition by touches.order_id))::numeric
            as raw_fraction
    from touches
    where touches.touch_count > 0
),

decay_rounding as (
    -- the shares differ per touch: the sums of their rounded values, and which touch holds the
    -- residue (the largest share, the earliest on ties), need the whole order
    select
        decayed.*,
        sum(round(raw_fraction, 12)) over order_touches                    as fraction_sum,
        sum(round(revenue * raw_fraction, 2)) over order_touches           as revenue_sum,
        sum(round(profit * raw_fraction, 2)) over order_touches            as profit_sum,
        max(raw_fraction) over order_touches                               as largest_fraction
    from decayed
    window order_touches as (partition by order_id)
),

shares as (
    -- each model's share of a touch, and the sums of the order's rounded shares that the residue
    -- holder (the largest share, the earliest touch on ties) tops up to exactly 1 and to the order's
    -- revenue and profit. One branch per model: first and last touch need no arithmetic, linear and
    -- position-based shares are known from the touch count, time decay is summed above.
    select touches.*, 'first_touch'::text as model, 1::numeric as raw_fraction, true as is_residue_holder,
           1::numeric as fraction_sum, revenue as revenue_sum, profit as profit_sum
    from touches where touch_count = 0 or touch_position = 1
    union all
    select touches.*, 'last_touch', 1::numeric, true, 1::numeric, revenue, profit
    from touches where touch_count = 0 or touch_position = touch_count
    union all
    select touches.*, 'linear',
           case when touch_count = 0 then 1::numeric else 1::numeric / touch_count end,
           coalesce(touch_position, 1) = 1,
           case when touch_count = 0 then 1::numeric else touch_count * round(1::numeric / touch_count, 12) end,
           case when touch_count = 0 then revenue else touch_count * round(revenue * (1::numeric / touch_count), 2) end,
           case when touch_count = 0 then profit else touch_count * round(profit * (1::numeric / touch_count), 2) end
    from touches
    union all
    select touches.*, 'position_based',
           case when touch_count <= 1 then 1::numeric
                when touch_count = 2 then 0.5
                when touch_position in (1, touch_count) then 0.4
                else (0.2 / (touch_count - 2)) end,
           coalesce(touch_position, 1) = 1,
           case when touch_count <= 2 then 1::numeric
                else 0.8 + (touch_count - 2) * round((0.2 / (touch_count - 2)), 12) end,
           case when touch_count <= 1 then revenue
                when touch_count = 2 then 2 * round(revenue * 0.5, 2)
                else 2 * round(revenue * 0.4, 2) + (touch_count - 2) * round(revenue * (0.2 / (touch_count - 2)), 2) end,
           case when touch_count <= 1 then profit
                when touch_count = 2 then 2 * round(profit * 0.5, 2)
                else 2 * round(profit * 0.4, 2) + (touch_count - 2) * round(profit * (0.2 / (touch_count - 2)), 2) end
    from touches
    union all
    select touches.*, 'time_decay', 1::numeric, true, 1::numeric, revenue, profit
    from touches where touch_count = 0
    union all
    select
        store_id,
        order_id,
        customer_id,
        person_key,
        converted_at,
        converted_date,
        revenue,
        profit,
        session_id,
        channel,
        source,
        touched_at,
        is_credited,
        touch_position,
        touch_count,
        age_days,
        processed_at,
        'time_decay', raw_fraction,
        touch_position = min(touch_position) filter (where raw_fraction = largest_fraction) over (partition by order_id),
        fraction_sum, revenue_sum, profit_sum
    from decay_rounding
),

reconciled as (
    -- fractions to 12 places and money to the cent; the residue holder takes what rounding left over
    select
        shares.*,
        round(raw_fraction, 12) + case when is_residue_holder then 1 - fraction_sum else 0 end
            as credit_fraction,
        round(revenue * raw_fraction, 2) + case when is_residue_holder then revenue - revenue_sum else 0 end
            as credited_revenue,
        round(profit * raw_fraction, 2) + case when is_residue_holder then profit - profit_sum else 0 end
            as credited_profit
    from shares
)

select
    store_id::text                                  as store_id,
    order_id::text                                  as order_id,
    customer_id::text                               as customer_id,
    model::text                                     as model,
    session_id::text                                as touchpoint_id,
    channel::text                                   as channel,
    source::text                                    as source,
    touched_at::timestamptz                         as touched_at,
    converted_at::timestamptz                       as converted_at,
    converted_date::date                            as converted_date,
    touch_position::integer                         as touch_position,
    touch_count::integer                            as touch_count,
    credit_fraction::numeric(18,12)                 as credit_fraction,
    credit_fraction::numeric(18,12)                 as credited_conversions,
    credited_revenue::numeric(14,2)                 as credited_revenue,
    credited_profit::numeric(14,2)                  as credited_profit,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                               as processed_at
from reconciled
  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "order_id", "model", "touchpoint_id", "channel", "credit_fraction", "credited_revenue", "credited_profit", 'expected' as "actual_or_expected"
  from (
    select 
    
    cast('o1' as text)
 as "order_id", 
    
    cast('first_touch' as text)
 as "model", 
    
    cast('t1' as text)
 as "touchpoint_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('1.000000000000' as numeric(18,12))
 as "credit_fraction", 
    
    cast('80.00' as numeric(14,2))
 as "credited_revenue", 
    
    cast('30.00' as numeric(14,2))
 as "credited_profit"
union all
select 
    
    cast('o1' as text)
 as "order_id", 
    
    cast('last_touch' as text)
 as "model", 
    
    cast('t1' as text)
 as "touchpoint_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('1.000000000000' as numeric(18,12))
 as "credit_fraction", 
    
    cast('80.00' as numeric(14,2))
 as "credited_revenue", 
    
    cast('30.00' as numeric(14,2))
 as "credited_profit"
union all
select 
    
    cast('o1' as text)
 as "order_id", 
    
    cast('linear' as text)
 as "model", 
    
    cast('t1' as text)
 as "touchpoint_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('1.000000000000' as numeric(18,12))
 as "credit_fraction", 
    
    cast('80.00' as numeric(14,2))
 as "credited_revenue", 
    
    cast('30.00' as numeric(14,2))
 as "credited_profit"
union all
select 
    
    cast('o1' as text)
 as "order_id", 
    
    cast('position_based' as text)
 as "model", 
    
    cast('t1' as text)
 as "touchpoint_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('1.000000000000' as numeric(18,12))
 as "credit_fraction", 
    
    cast('80.00' as numeric(14,2))
 as "credited_revenue", 
    
    cast('30.00' as numeric(14,2))
 as "credited_profit"
union all
select 
    
    cast('o1' as text)
 as "order_id", 
    
    cast('time_decay' as text)
 as "model", 
    
    cast('t1' as text)
 as "touchpoint_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('1.000000000000' as numeric(18,12))
 as "credit_fraction", 
    
    cast('80.00' as numeric(14,2))
 as "credited_revenue", 
    
    cast('30.00' as numeric(14,2))
 as "credited_profit"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected