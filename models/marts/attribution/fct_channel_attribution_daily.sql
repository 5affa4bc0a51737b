-- one row per (store, local conversion date, model, channel): attributed results for charts
{{ config(indexes=[{'columns': ['store_id', 'model', 'date']}, {'columns': ['store_id', 'date']}]) }}

select
    store_id::text                                  as store_id,
    converted_date::date                            as date,
    model::text                                     as model,
    channel::text                                   as channel,
    sum(credited_conversions)::numeric(18,6)        as attributed_conversions,
    sum(credited_revenue)::numeric(18,2)            as attributed_revenue,
    sum(credited_profit)::numeric(18,2)             as attributed_profit
from {{ ref('fct_attribution_credits') }}
group by store_id, converted_date, model, channel
