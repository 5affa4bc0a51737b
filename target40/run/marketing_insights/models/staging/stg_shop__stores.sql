
      
  
    

  create  table "gen40"."staging"."stg_shop__stores__dbt_tmp"
  
  
    as
  
  (
    
-- one row per store; industry without a known value is `general` (benchmark fallback)
select
    store_id::text                                   as store_id,
    name::text                                       as store_name,
    coalesce(nullif(lower(trim(industry)), ''), 'general')::text as industry,
    upper(trim(currency))::text                      as currency,
    trim(timezone)::text                             as timezone,
    lower(trim(status))::text                        as status,
    created_at::timestamptz                          as created_at,
    _loaded_at::timestamptz                          as loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz as staged_at
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    
    with duplicated_keys as materialized (
        -- keys delivered more than once: only their deliveries are ranked (a narrow aggregate of
        -- the key instead of a sort of every whole row)
        select store_id
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."stores" as raw_row) as source_rows
        where not (store_id is null)
        group by store_id
        having count(*) > 1
    ),

    superseded as materialized (
        -- every delivery of those keys but the latest; ctid breaks _loaded_at ties (written last wins)
        select _row_position
        from (
            select _row_position,
                   row_number() over (partition by store_id
                                      order by _loaded_at desc nulls last, _row_position desc) as version_rank
            from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."stores" as raw_row) as source_rows
            where (store_id) in (select * from duplicated_keys)
        ) as ranked
        where version_rank > 1
    ),

    flagged as (
        -- each delivery with its key text and whether a later delivery replaced it
        select
            source_rows.*,
            coalesce(store_id::text, '<null>') as _row_key,
            (store_id is null) as _is_keyless,
            -- a hashed lookup of the few superseded deliveries (needs a work_mem that holds them:
            -- macros/session_settings.sql), not a join that hashes every raw row
            source_rows._row_position in (select _row_position from superseded) as _is_superseded
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."stores" as raw_row) as source_rows
    )

    select
        flagged.*,
        case when _is_keyless then null when _is_superseded then 2 else 1 end as _version_rank,
        case
            when _is_keyless then 'null_key'
            when _is_superseded then 'duplicate'
            when coalesce(lower(trim(status)), '') not in ('active', 'paused', 'archived') then 'unknown_enum'
            when timezone is null or trim(timezone) not in (select name from pg_timezone_names) then 'unknown_enum'
        end as _dq_reason,
        case
            when _is_keyless then 'a key column (store_id) is null'
            when _is_superseded then 'superseded by a later delivery of the same key'
            when coalesce(lower(trim(status)), '') not in ('active', 'paused', 'archived') then 'status = ' || coalesce(quote_literal(status::text), 'null') || ' is not one of active, paused, archived'
            when timezone is null or trim(timezone) not in (select name from pg_timezone_names) then 'timezone = ' || coalesce(quote_literal(timezone::text), 'null') || ' is not an IANA timezone name'
        end as _dq_details
    from flagged

) as versions
where _version_rank = 1 and _dq_reason is null
  );
  
  