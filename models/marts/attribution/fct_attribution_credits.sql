-- one row per (order, model, credited touchpoint): the five rule-based attribution models
{{ config(
    materialized='incremental',
    unique_key='order_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    indexes=[
        {'columns': ['store_id', 'converted_date', 'model']},
        {'columns': ['order_id']},
        {'columns': ['store_id', 'model', 'channel']},
    ],
    post_hook=[
        "delete from {{ this }} as t where not exists (select 1 from {{ ref('int_attribution__touchpoints') }} as j where j.order_id = t.order_id)"
    ]
) }}

{%- set half_life = var('attribution_half_life_days') | float -%}

with touchpoints as (
    -- credited touches (direct rule applied) of the orders the touchpoint model (re)wrote
    select * from {{ ref('int_attribution__touchpoints') }}
    where is_credited
    {% if is_incremental() %}
      and processed_at > (select coalesce(max(processed_at), '-infinity'::timestamptz) from {{ this }})
    {% endif %}
),

decay as (
    -- time-decay weight 2^(-age/half_life) on fractional days, normalised per order
    select
        touchpoints.*,
        power(2.0::float8, -age_days / {{ half_life }}) as decay_weight
    from touchpoints
),

models as (
    -- the rule-based models computed in the warehouse (data_driven lives in the service)
    select model from (values ('first_touch'), ('last_touch'), ('linear'), ('position_based'), ('time_decay')) as m(model)
),

fractions as (
    -- each model's share for a touch; an unattributed order (no touch) gets 1 under every model
    select
        decay.*,
        models.model,
        case
            when decay.touch_count = 0 then 1::numeric
            when models.model = 'first_touch' then case when decay.touch_position = 1 then 1 else 0 end::numeric
            when models.model = 'last_touch' then case when decay.touch_position = decay.touch_count then 1 else 0 end::numeric
            when models.model = 'linear' then 1::numeric / decay.touch_count
            when models.model = 'position_based' then
                case
                    when decay.touch_count = 1 then 1::numeric
                    when decay.touch_count = 2 then 0.5
                    when decay.touch_position in (1, decay.touch_count) then 0.4
                    else 0.2 / (decay.touch_count - 2)
                end
            when models.model = 'time_decay' then
                (decay.decay_weight / sum(decay.decay_weight) over (partition by decay.order_id, models.model))::numeric
        end as raw_fraction
    from decay
    cross join models
),

rounded as (
    -- fractions to 12 places and money to the cent; the largest credit takes the rounding residue
    select
        fractions.*,
        round(raw_fraction, 12)            as fraction_rounded,
        round(revenue * raw_fraction, 2)   as revenue_rounded,
        round(profit * raw_fraction, 2)    as profit_rounded,
        row_number() over (
            partition by order_id, model order by raw_fraction desc, touch_position nulls first, session_id
        ) as credit_rank
    from fractions
    where raw_fraction > 0
),

reconciled as (
    -- per (order, model): fractions sum to exactly 1, revenue and profit to the order's, to the cent
    select
        rounded.*,
        fraction_rounded + case when credit_rank = 1
            then 1 - sum(fraction_rounded) over (partition by order_id, model) else 0 end   as credit_fraction,
        revenue_rounded + case when credit_rank = 1
            then revenue - sum(revenue_rounded) over (partition by order_id, model) else 0 end as credited_revenue,
        profit_rounded + case when credit_rank = 1
            then profit - sum(profit_rounded) over (partition by order_id, model) else 0 end   as credited_profit
    from rounded
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
    processed_at::timestamptz                       as processed_at
from reconciled
