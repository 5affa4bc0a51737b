
      
  
    

  create  table "gen40"."staging"."quarantine_influencer__influencers__dbt_tmp"
  
  
    as
  
  (
    -- every influencers delivery excluded from staging, with why (macros/staging.sql)

with versions as (
        -- every delivery this run judges (raw_versions, macros/staging.sql)
        
    with duplicated_keys as materialized (
        -- keys delivered more than once: only their deliveries are ranked (a narrow aggregate of
        -- the key instead of a sort of every whole row)
        select influencer_id
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."influencers" as raw_row) as source_rows
        where not (influencer_id is null)
        group by influencer_id
        having count(*) > 1
    ),

    superseded as materialized (
        -- every delivery of those keys but the latest; ctid breaks _loaded_at ties (written last wins)
        select _row_position
        from (
            select _row_position,
                   row_number() over (partition by influencer_id
                                      order by _loaded_at desc nulls last, _row_position desc) as version_rank
            from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."influencers" as raw_row) as source_rows
            where (influencer_id) in (select * from duplicated_keys)
        ) as ranked
        where version_rank > 1
    ),

    flagged as (
        -- each delivery with its key text and whether a later delivery replaced it
        select
            source_rows.*,
            coalesce(influencer_id::text, '<null>') as _row_key,
            (influencer_id is null) as _is_keyless,
            -- a hashed lookup of the few superseded deliveries (needs a work_mem that holds them:
            -- macros/session_settings.sql), not a join that hashes every raw row
            source_rows._row_position in (select _row_position from superseded) as _is_superseded
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."influencers" as raw_row) as source_rows
    )

    select
        flagged.*,
        case when _is_keyless then null when _is_superseded then 2 else 1 end as _version_rank,
        case
            when _is_keyless then 'null_key'
            when _is_superseded then 'duplicate'
            when (followers < 0) then 'negative_value'
        end as _dq_reason,
        case
            when _is_keyless then 'a key column (influencer_id) is null'
            when _is_superseded then 'superseded by a later delivery of the same key'
            when (followers < 0) then (case when followers < 0 then 'followers = ' || coalesce(quote_literal(followers::text), 'null') end) || ' is negative'
        end as _dq_details
    from flagged

    ),

    judged as (
        select
            'influencers'::text                                   as table_name,
            _row_key::text                                                 as row_key,
            null::text                    as store_id,
            _dq_reason::text                                               as reason,
            _dq_details::text                                              as details,
            _loaded_at::timestamptz                                        as raw_loaded_at
        from versions
        where _dq_reason is not null
    )

    select
        judged.*,
        '2026-12-06T12:30:54.482240+00:00'::timestamptz                    as detected_at
    from judged

  );
  
  