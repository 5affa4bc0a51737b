-- every order's journey: the sessions that may credit it, with the direct rule applied.
-- One row per (order, journey session); an order with no session gets one `unattributed` row.
-- Incremental: only the orders a change can reach are rebuilt (int_attribution__conversions and
-- int_sessions rows stamped since the last run): changed orders (and, through their rewritten
-- siblings, the next order of the same person), the orders whose journey held a changed session,
-- and the first order of a changed session's person within the lookback after it. Found with
-- joins on indexed keys, never by scanning history.
{{ config(
    materialized='incremental',
    partition_by=spark_store_partitions(),
    unique_key='order_id',
    incremental_strategy=incremental_strategy_for('replace_marked_keys'),
    on_schema_change='ignore',
    indexes=[
        {'columns': ['order_id']},
        {'columns': ['session_id']},
        {'columns': ['store_id', 'converted_date']},
        {'columns': ['processed_at'], 'type': 'brin'},
    ],
    post_hook="{{ run_watermark_post_hook() }}",
) }}

{%- set lookback_days = var('attribution_lookback_days') | int -%}

with conversions as (
    -- converting orders, each with its person and previous-conversion boundary
    select * from {{ ref('int_attribution__conversions') }} where not is_removed
),

{%- if incremental_batch() %}
{% set since = model_watermark() %}
changed_sessions as (
    -- sessions rewritten since the last run: new, late, re-delivered, re-linked or removed
    select * from {{ ref('int_sessions') }} where processed_at > {{ since }}
),

affected_orders as (
    -- orders whose row changed (new, refunded, cancelled, another person, another boundary)
    select order_id from {{ ref('int_attribution__conversions') }} where processed_at > {{ since }}
    union
    -- orders whose journey held a session that changed or left
    select built.order_id
    from {{ this }} as built
    inner join changed_sessions on changed_sessions.session_id = built.session_id
    union
    -- the order whose window now holds a changed session: its person's first conversion at or
    -- after the visit, within the lookback, with no conversion in between
    select conversions.order_id
    from changed_sessions
    inner join conversions
        on conversions.store_id = changed_sessions.store_id
       and conversions.person_key = changed_sessions.person_key
       and conversions.converted_at >= changed_sessions.started_at
       and conversions.converted_at <= changed_sessions.started_at + interval '{{ lookback_days }} days'
       and (conversions.previous_order_at is null or conversions.previous_order_at < changed_sessions.started_at)
    where not changed_sessions.is_removed
),

batch as (
    -- the affected orders that still convert
    select conversions.*
    from conversions
    where conversions.order_id in (select affected_orders.order_id from affected_orders)
),
{%- else %}
batch as (
    -- full refresh: every converting order
    select * from conversions
),
{%- endif %}

sessions as (
    -- live sessions, each tagged with its person
    select * from {{ ref('int_sessions') }} where not is_removed
),

journeys as (
    -- contract window: previous_order_at < started_at <= converted_at, within the lookback
    select
        batch.store_id,
        batch.order_id,
        batch.customer_id,
        batch.person_key,
        batch.converted_at,
        batch.converted_date,
        batch.revenue,
        batch.profit,
        sessions.session_id,
        sessions.channel,
        sessions.source,
        sessions.started_at
    from batch
    inner join sessions
        on sessions.store_id = batch.store_id
       and sessions.person_key = batch.person_key
       and sessions.started_at <= batch.converted_at
       and sessions.started_at >= batch.converted_at - interval '{{ lookback_days }} days'
       and (batch.previous_order_at is null or sessions.started_at > batch.previous_order_at)
),

direct_rule as (
    -- direct touches earn nothing when the journey has any other channel
    select
        journeys.*,
        journeys.channel <> 'direct'
            or not bool_or(journeys.channel <> 'direct') over (partition by journeys.order_id) as is_credited
    from journeys
),

positioned as (
    -- order credited touches by time, ties by session_id
    select
        direct_rule.*,
        case when direct_rule.is_credited then
            row_number() over (
                partition by direct_rule.order_id, direct_rule.is_credited
                order by direct_rule.started_at, direct_rule.session_id
            )
        end as touch_position,
        count(*) filter (where direct_rule.is_credited) over (partition by direct_rule.order_id) as touch_count
    from direct_rule
),

unattributed as (
    -- an order with no touch in its window is credited to `unattributed`
    select
        batch.store_id, batch.order_id, batch.customer_id, batch.person_key, batch.converted_at,
        batch.converted_date, batch.revenue, batch.profit,
        null::{{ text_type() }} as session_id, 'unattributed'::{{ text_type() }} as channel,
        'unassigned'::{{ text_type() }} as source, null::{{ tstz_type() }} as started_at, true as is_credited,
        null::bigint as touch_position, 0::bigint as touch_count
    from batch
    where not exists (select 1 from journeys where journeys.order_id = batch.order_id)
)

select
    store_id::{{ text_type() }}                                    as store_id,
    order_id::{{ text_type() }}                                    as order_id,
    customer_id::{{ text_type() }}                                 as customer_id,
    person_key::{{ text_type() }}                                  as person_key,
    converted_at::{{ tstz_type() }}                         as converted_at,
    converted_date::date                              as converted_date,
    revenue::numeric(14,2)                            as revenue,
    profit::numeric(14,2)                             as profit,
    session_id::{{ text_type() }}                                  as session_id,
    channel::{{ text_type() }}                                     as channel,
    source::{{ text_type() }}                                      as source,
    started_at::{{ tstz_type() }}                           as touched_at,
    is_credited::boolean                              as is_credited,
    touch_position::integer                           as touch_position,
    touch_count::integer                              as touch_count,
    -- fractional days between touch and conversion (time-decay age)
    {{ days_between_instants('converted_at', 'started_at') }} as age_days,
    -- lets the downstream incremental facts pick up exactly the orders this run rewrote
    {{ run_stamp() }}                                 as processed_at
    {%- if incremental_batch() %},
    true                                              as _keep
    {%- endif %}
from (
    select * from positioned
    union all
    select * from unattributed
) as touchpoints
{%- if incremental_batch() %}

union all

-- affected orders that stopped converting: a marker clears their journey rows
select null, removed.order_id, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
       {{ run_stamp() }}, false
from (
    select order_id from affected_orders
    except
    select order_id from batch
) as removed
{%- endif %}
