-- one row per store: its data range, the one definition of a store's first and latest day with data
-- (the latest ends the insight signals' windows and the API's default window)
{{ config(materialized='table') }}

select
    store_id::{{ text_type() }}          as store_id,
    min(period_start)::date as first_data_date,
    max(period_start)::date as last_data_date
from {{ ref('fct_unified_metrics') }}
-- the store rollup's daily rows: a day with any activity of the store has one
where period = 'daily' and source = 'all' and channel = 'overall'
group by store_id
