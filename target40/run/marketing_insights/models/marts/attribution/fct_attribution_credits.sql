
      
  
    

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
    -- credited touches (direct rule applied) of the orders to (re)write, with their time-decay
    -- weight 2^(-age/half_life) on fractional days
    select
        touchpoints.*,
        power(2.0::float8, -touchpoints.age_days / 7.0) as decay_weight
    from "gen40"."intermediate"."int_attribution__touchpoints" as touchpoints
    where touchpoints.is_credited
),

decayed as (
    -- the time-decay fraction normalises the weights over the order's touches
    select
        touches.*,
        (touches.decay_weight / sum(touches.decay_weight) over (partition by touches.order_id))::numeric as decay_fraction
    from touches
),

decay_rounding as (
    -- time-decay fractions differ per touch: the sums of their rounded shares (and which touch
    -- is largest, earliest on ties) need the whole order
    select
        decayed.*,
        sum(round(decay_fraction, 12)) over order_touches                    as decay_fraction_sum,
        sum(round(revenue * decay_fraction, 2)) over order_touches           as decay_revenue_sum,
        sum(round(profit * decay_fraction, 2)) over order_touches            as decay_profit_sum,
        max(decay_fraction) over order_touches                               as decay_fraction_max
    from decayed
    window order_touches as (partition by order_id)
),

decay_ranked as (
    select
        decay_rounding.*,
        min(touch_position) filter (where decay_fraction = decay_fraction_max) over (partition by order_id)
            as decay_largest_position
    from decay_rounding
),

fractions as (
    -- each model's share of a touch; an unattributed order (no touch) gets 1 under every model.
    -- The largest share (the earliest touch on ties) absorbs the rounding residue of its order and
    -- model, so fractions sum to exactly 1 and money to exactly the order's: for the equal-share
    -- models the residue is known from the touch count, for time decay it is summed above.
    select
        decay_ranked.*,
        models.model,
        models.raw_fraction,
        models.is_residue_holder,
        models.fraction_sum,
        models.revenue_sum,
        models.profit_sum
    from decay_ranked
    cross join lateral (
        values
        ('first_touch',
         case when touch_count = 0 or touch_position = 1 then 1::numeric else 0 end,
         true, 1::numeric, revenue, profit),
        ('last_touch',
         case when touch_count = 0 or touch_position = touch_count then 1::numeric else 0 end,
         true, 1::numeric, revenue, profit),
        ('linear',
         case when touch_count = 0 then 1::numeric else 1::numeric / decay_ranked.touch_count end,
         coalesce(touch_position, 1) = 1,
         case when touch_count = 0 then 1::numeric else decay_ranked.touch_count * round(1::numeric / decay_ranked.touch_count, 12) end,
         case when touch_count = 0 then revenue else decay_ranked.touch_count * round(revenue * (1::numeric / decay_ranked.touch_count), 2) end,
         case when touch_count = 0 then profit else decay_ranked.touch_count * round(profit * (1::numeric / decay_ranked.touch_count), 2) end),
        ('position_based',
         case when touch_count <= 1 then 1::numeric
              when touch_count = 2 then 0.5
              when touch_position in (1, touch_count) then 0.4
              else (0.2 / (decay_ranked.touch_count - 2)) end,
         coalesce(touch_position, 1) = 1,
         case when touch_count <= 1 then 1::numeric
              when touch_count = 2 then 1::numeric
              else 0.8 + (decay_ranked.touch_count - 2) * round((0.2 / (decay_ranked.touch_count - 2)), 12) end,
         case when touch_count <= 1 then revenue
              when touch_count = 2 then 2 * round(revenue * 0.5, 2)
              else 2 * round(revenue * 0.4, 2) + (decay_ranked.touch_count - 2) * round(revenue * (0.2 / (decay_ranked.touch_count - 2)), 2) end,
         case when touch_count <= 1 then profit
              when touch_count = 2 then 2 * round(profit * 0.5, 2)
              else 2 * round(profit * 0.4, 2) + (decay_ranked.touch_count - 2) * round(profit * (0.2 / (decay_ranked.touch_count - 2)), 2) end),
        ('time_decay',
         case when touch_count = 0 then 1::numeric else decay_fraction end,
         touch_count = 0 or touch_position = decay_largest_position,
         case when touch_count = 0 then 1::numeric else decay_fraction_sum end,
         case when touch_count = 0 then revenue else decay_revenue_sum end,
         case when touch_count = 0 then profit else decay_profit_sum end)
    ) as models (model, raw_fraction, is_residue_holder, fraction_sum, revenue_sum, profit_sum)
    where models.raw_fraction > 0
),

reconciled as (
    -- fractions to 12 places and money to the cent; the residue goes to one touch per order and model
    select
        fractions.*,
        round(raw_fraction, 12) + case when is_residue_holder then 1 - fraction_sum else 0 end
            as credit_fraction,
        round(revenue * raw_fraction, 2) + case when is_residue_holder then revenue - revenue_sum else 0 end
            as credited_revenue,
        round(profit * raw_fraction, 2) + case when is_residue_holder then profit - profit_sum else 0 end
            as credited_profit
    from fractions
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
    '2026-12-06T11:47:32.531746+00:00'::timestamptz                               as processed_at
from reconciled
    ) as model_subq
  );
  
  