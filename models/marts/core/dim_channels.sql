-- one row per marketing channel: the names used by fct_unified_metrics, attribution and benchmarks
-- (the channels seed is the one list; this mart publishes it with the contract's column names and types)
{{ config(materialized='table') }}

select
    channel::{{ text_type() }}          as channel,
    label::{{ text_type() }}            as channel_label,
    is_paid::boolean       as is_paid,
    has_budget::boolean    as has_budget,
    cost_sources::{{ text_type() }}     as cost_sources,
    platform_metrics::{{ text_type() }} as platform_metrics,
    source_types::{{ text_type() }}     as source_types,
    sort_order::integer    as sort_order
from {{ ref('channels') }}
