-- one row per (store, person, store-local month) with a non-converting path: the person's
-- sessions of the month that belong to no order's journey, in time order, with the same direct
-- rule as journeys (direct counts only when it is all there is). fct_conversion_paths counts them.
-- Incremental: the people a change can reach are recomputed whole (strategy replace_marked_keys):
-- the people of sessions written since the last run (and the people those sessions left), and
-- the people of orders whose row changed (their journeys took or released sessions).
{{ config(
    materialized='incremental',
    partition_by=spark_store_partitions(),
    unique_key=['store_id', 'person_key'],
    incremental_strategy=incremental_strategy_for('replace_marked_keys'),
    on_schema_change='ignore',
    indexes=[
        {'columns': ['store_id', 'person_key']},
        {'columns': ['store_id', 'month_start']},
    ],
    post_hook="{{ run_watermark_post_hook() }}",
) }}
-- depends_on: {{ ref('int_attribution__conversions') }}

with
{%- if incremental_batch() %}
{%- set since = model_watermark() %}
affected_people as {{ cte_materialized() }} (
    -- people whose sessions or journeys changed since the last run
    select store_id, person_key from {{ ref('int_sessions') }} where processed_at > {{ since }}
    union
    select store_id, previous_person_key from {{ ref('int_sessions') }}
    where processed_at > {{ since }} and previous_person_key is not null
    union
    select store_id, person_key from {{ ref('int_attribution__conversions') }} where processed_at > {{ since }}
    union
    select store_id, previous_person_key from {{ ref('int_attribution__conversions') }}
    where processed_at > {{ since }} and previous_person_key is not null
),
{%- endif %}

sessions as (
    -- live sessions (of the affected people), with their store-local month
    select sessions.*, date_trunc('month', sessions.session_date)::date as month_start
    from {{ ref('int_sessions') }} as sessions
    {%- if incremental_batch() %}
    inner join affected_people
        on affected_people.store_id = sessions.store_id and affected_people.person_key = sessions.person_key
    {%- endif %}
    where not sessions.is_removed
),

stray_sessions as (
    -- sessions that belong to no order's journey
    select sessions.*
    from sessions
    where not exists (
        select 1 from {{ ref('int_attribution__touchpoints') }} as journeys
        where journeys.session_id = sessions.session_id)
)

select
    store_id::{{ text_type() }}                                                                  as store_id,
    person_key::{{ text_type() }}                                                                as person_key,
    month_start::date                                                               as month_start,
    (case when bool_or(channel <> 'direct')
          then {{ ordered_string_agg('channel', "' > '", ['started_at', 'session_id'], "channel <> 'direct'") }}
          else {{ ordered_string_agg('channel', "' > '", ['started_at', 'session_id']) }}
     end)::{{ text_type() }}                                                                     as channel_path,
    {{ run_stamp() }}                                                               as processed_at
    {%- if incremental_batch() %},
    true                                                                            as _keep
    {%- endif %}
from stray_sessions
group by store_id, person_key, month_start
{%- if incremental_batch() %}

union all

-- affected people left without a non-converting path: a marker clears their rows
select affected_people.store_id, affected_people.person_key, null, null, {{ run_stamp() }}, false
from affected_people
{%- endif %}
