-- one row per (store, raw table, reason): the quarantine counted, for dashboards and the
-- service (a store's counts without scanning its quarantined rows on every request)
{{ config(indexes=[{'columns': ['store_id', 'table_name', 'reason']}]) }}

select
    store_id::{{ text_type() }}                  as store_id,
    table_name::{{ text_type() }}                as table_name,
    reason::{{ text_type() }}                    as reason,
    count(*)::bigint                as rows,
    max(raw_loaded_at)::{{ tstz_type() }} as last_raw_loaded_at,
    max(detected_at)::{{ tstz_type() }}   as detected_at
from {{ ref('data_quality_issues') }}
group by store_id, table_name, reason
