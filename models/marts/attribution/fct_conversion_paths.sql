-- one row per (store, month, channel path): the ChannelAttribution input (converting and non-converting paths)
-- Incremental: the store-months a changed session or order can reach are rebuilt (macros/reopened_keys.sql).
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
-- inputs of the reopened-months detection (macros/reopened_keys.sql), declared for the DAG:
-- depends_on: {{ ref('int_attribution__conversions') }}
-- depends_on: {{ ref('int_sessions') }}

with
{%- if incremental_batch() %}
reopened as (
    -- store-months to rebuild
    select * from {{ reopened_relation() }}
),
{%- endif %}

orders as (
    -- converting orders of the months to (re)build
    select orders.*
    from {{ ref('fct_order_attribution') }} as orders
    {%- if incremental_batch() %}
    inner join reopened
        on reopened.store_id = orders.store_id
       and orders.converted_date >= reopened.month_start
       and orders.converted_date < (reopened.month_start + interval '1 month')::date
    {%- endif %}
),

converting as (
    -- each converting order's credited path, in the month of conversion
    select
        store_id,
        date_trunc('month', converted_date)::date as month_start,
        channel_path,
        count(*)                                  as conversions,
        sum(revenue)                              as conversion_value
    from orders
    group by 1, 2, 3
),

non_converting as (
    -- the people's non-converting paths of the months to (re)build (int_attribution__person_paths)
    select paths.store_id, paths.month_start, paths.channel_path
    from {{ ref('int_attribution__person_paths') }} as paths
    {%- if incremental_batch() %}
    inner join reopened on reopened.store_id = paths.store_id and reopened.month_start = paths.month_start
    {%- endif %}
),

non_converting_counts as (
    -- non-converting paths counted like converting ones
    select store_id, month_start, channel_path, count(*) as null_conversions
    from non_converting
    group by 1, 2, 3
)

select
    coalesce(converting.store_id, non_converting_counts.store_id)::{{ text_type() }}          as store_id,
    coalesce(converting.month_start, non_converting_counts.month_start)::date    as month_start,
    coalesce(converting.channel_path, non_converting_counts.channel_path)::{{ text_type() }}  as channel_path,
    coalesce(converting.conversions, 0)::integer                                 as conversions,
    coalesce(converting.conversion_value, 0)::numeric(18,2)                      as conversion_value,
    coalesce(non_converting_counts.null_conversions, 0)::integer                 as null_conversions
from converting
full outer join non_converting_counts
    on non_converting_counts.store_id = converting.store_id
   and non_converting_counts.month_start = converting.month_start
   and non_converting_counts.channel_path = converting.channel_path
