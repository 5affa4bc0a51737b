
      
  
    

  create  table "gen40"."marts"."fct_attribution_credits__dbt_tmp"
  
  
    
  
  (
    store_id text not null,
    order_id text not null,
    customer_id text,
    model text not null,
    touchpoint_id text,
    channel text not null,
    source text not null,
    touched_at timestamptz,
    converted_at timestamptz not null,
    converted_date date not null,
    touch_position integer,
    touch_count integer,
    credit_fraction numeric(18,12) not null,
    credited_conversions numeric(18,12),
    credited_revenue numeric(14,2),
    credited_profit numeric(14,2),
    processed_at timestamptz
    
    )
 ;
    insert into "gen40"."marts"."fct_attribution_credits__dbt_tmp" (
      store_id, order_id, customer_id, model, touchpoint_id, channel, source, touched_at, converted_at, converted_date, touch_position, touch_count, credit_fraction, credited_conversions, credited_revenue, credited_profit, processed_at
    )
  
  (
    
    select store_id, order_id, customer_id, model, touchpoint_id, channel, source, touched_at, converted_at, converted_date, touch_position, touch_count, credit_fraction, credited_conversions, credited_revenue, credited_profit, processed_at
    from (
        -- one row per (order, model, credited touchpoint): the five rule-based attribution models
-- Incremental: the orders int_attribution__touchpoints rewrote since the last run are replaced;
-- orders that stopped converting are deleted first (pre-hook).

-- depends_on: "gen40"."intermediate"."int_attribution__conversions"



with touches as (
    -- credited touches (direct rule applied) of the orders to (re)write; an order without a touch
    -- has one `unattributed` row (touch_count 0) that every model credits in full
    select touchpoints.*
    from "gen40"."intermediate"."int_attribution__touchpoints" as touchpoints
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
    ) as model_subq
  );
  
  