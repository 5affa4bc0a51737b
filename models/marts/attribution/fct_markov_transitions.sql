-- first-order Markov transition counts of fct_conversion_paths per (store, month): counts are
-- additive across months, so the service solves the data_driven chain for any range from a
-- few dozen rows instead of parsing thousands of paths per request
-- Incremental: the store-months fct_conversion_paths rebuilt are rebuilt (macros/reopened_keys.sql).
{{ config(
    materialized='incremental',
    partition_by=spark_store_partitions(),
    incremental_strategy=incremental_strategy_for('reopened_keys'),
    reopen_grain='path_month',
    on_schema_change='fail',
    indexes=[{'columns': ['store_id', 'month_start']}],
    pre_hook="{{ collect_reopened_keys() }}",
    post_hook="{{ run_watermark_post_hook() }}",
) }}
-- inputs of the reopened-months detection, declared for the DAG:
-- depends_on: {{ ref('int_sessions') }}
-- depends_on: {{ ref('int_attribution__conversions') }}
-- depends_on: {{ ref('fct_order_attribution') }}

with paths as (
    -- the ChannelAttribution input of the months to (re)build, split into its ordered channels
    select paths.store_id, paths.month_start, {{ split_to_array('paths.channel_path', "' > '") }} as steps,
           paths.conversions, paths.conversion_value, paths.null_conversions
    from {{ ref('fct_conversion_paths') }} as paths
    {%- if incremental_batch() %}
    inner join (select * from {{ reopened_relation() }}) as reopened
        on reopened.store_id = paths.store_id and reopened.month_start = paths.month_start
    {%- endif %}
),

chain as (
    -- a path that is exactly `unattributed` (no touch) is credited directly, outside the chain
    select * from paths where steps <> {{ array_of("'unattributed'") }}
),

steps as (
    -- every step of every chain path with its predecessor ((start) for the first)
    select
        chain.store_id, chain.month_start, chain.conversions, chain.conversion_value, chain.null_conversions,
        coalesce({{ array_element('chain.steps', 'step.position - 1') }}, '(start)') as from_state,
        step.channel as to_state,
        step.position = cardinality(chain.steps) as is_last
    from chain
    {{ unnest_with_position('chain.steps', 'step', 'channel', 'position') }}
),

transitions as (
    -- a path of weight conversions + nulls moves along each of its steps...
    select store_id, month_start, 'transition' as kind, from_state, to_state,
           sum(conversions + null_conversions) as weight,
           null::numeric as conversions, null::numeric as conversion_value
    from steps group by 1, 2, 4, 5
    union all
    -- ...and ends in (conversion) for its conversions, (null) for the rest
    select store_id, month_start, 'transition', to_state, '(conversion)', sum(conversions), null, null
    from steps where is_last group by 1, 2, 4
    union all
    select store_id, month_start, 'transition', to_state, '(null)', sum(null_conversions), null, null
    from steps where is_last group by 1, 2, 4
),

totals as (
    -- chain totals, passthrough totals, and the channels of converting paths
    select store_id, month_start, 'chain_total' as kind, '(start)' as from_state, '(conversion)' as to_state,
           null::numeric as weight, sum(conversions) as conversions, sum(conversion_value) as conversion_value
    from chain group by 1, 2
    union all
    select store_id, month_start, 'passthrough', 'unattributed', '(conversion)', null,
           sum(conversions), sum(conversion_value)
    from paths where steps = {{ array_of("'unattributed'") }} group by 1, 2
    union all
    select distinct
        store_id, month_start, 'converting_channel', to_state as from_state, to_state,
        null::numeric, null::numeric, null::numeric
    from steps where conversions > 0 or conversion_value > 0
)

select
    store_id::{{ text_type() }}              as store_id,
    month_start::date           as month_start,
    kind::{{ text_type() }}                  as kind,
    from_state::{{ text_type() }}            as from_state,
    to_state::{{ text_type() }}              as to_state,
    weight::numeric(18,2)       as weight,
    conversions::numeric(18,2)  as conversions,
    conversion_value::numeric(18,2) as conversion_value
from (
    select * from transitions
    union all
    select * from totals
) as markov_input
