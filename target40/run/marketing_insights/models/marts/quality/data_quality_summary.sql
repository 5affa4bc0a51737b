
  
    

  create  table "gen40"."marts"."data_quality_summary__dbt_tmp"
  
  
    
  
  (
    store_id text,
    table_name text not null,
    reason text not null,
    rows bigint,
    last_raw_loaded_at timestamptz,
    detected_at timestamptz
    
    )
 ;
    insert into "gen40"."marts"."data_quality_summary__dbt_tmp" (
      store_id, table_name, reason, rows, last_raw_loaded_at, detected_at
    )
  
  (
    
    select store_id, table_name, reason, rows, last_raw_loaded_at, detected_at
    from (
        -- one row per (store, raw table, reason): the quarantine counted, for dashboards and the
-- service (a store's counts without scanning its quarantined rows on every request)


select
    store_id::text                  as store_id,
    table_name::text                as table_name,
    reason::text                    as reason,
    count(*)::bigint                as rows,
    max(raw_loaded_at)::timestamptz as last_raw_loaded_at,
    max(detected_at)::timestamptz   as detected_at
from "gen40"."marts"."data_quality_issues"
group by store_id, table_name, reason
    ) as model_subq
  );
  