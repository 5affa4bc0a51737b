-- one row per (store, local conversion date, model, channel): attributed results for charts
-- Incremental: the days of re-credited, moved or removed orders are rebuilt (macros/reopened_keys.sql).
{{ config(
    materialized='incremental',
    partition_by=spark_store_partitions(),
    incremental_strategy=incremental_strategy_for('reopened_keys'),
    reopen_grain='attribution_day',
    on_schema_change='fail',
    indexes=[{'columns': ['store_id', 'model', 'date']}, {'columns': ['store_id', 'date']}],
    pre_hook="{{ collect_reopened_keys() }}",
    post_hook="{{ run_watermark_post_hook() }}",
) }}
-- depends_on: {{ ref('int_attribution__conversions') }}

with credits as (
    -- credits of the days to (re)build
    select credits.*
    from {{ ref('fct_attribution_credits') }} as credits
    {%- if incremental_batch() %}
    inner join (select * from {{ reopened_relation() }}) as reopened
        on reopened.store_id = credits.store_id and reopened.date = credits.converted_date
    {%- endif %}
)

select
    store_id::{{ text_type() }}                                  as store_id,
    converted_date::date                            as date,
    model::{{ text_type() }}                                     as model,
    channel::{{ text_type() }}                                   as channel,
    sum(credited_conversions)::numeric(18,6)        as attributed_conversions,
    sum(credited_revenue)::numeric(18,2)            as attributed_revenue,
    sum(credited_profit)::numeric(18,2)             as attributed_profit
from credits
group by store_id, converted_date, model, channel
