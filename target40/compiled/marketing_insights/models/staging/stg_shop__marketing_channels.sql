
-- one row per upstream MarketingChannel: the budget owner of a channel type in a store
select
    channel_id::text                      as channel_id,
    store_id::text                        as store_id,
    lower(trim(type))::text               as channel,
    name::text                            as channel_name,
    monthly_budget::numeric(14,2)         as monthly_budget,
    lower(trim(status))::text             as status,
    created_at::timestamptz               as created_at,
    _loaded_at::timestamptz               as loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz as staged_at
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    
    with duplicated_keys as materialized (
        -- keys delivered more than once: only their deliveries are ranked (a narrow aggregate of
        -- the key instead of a sort of every whole row)
        select channel_id
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."marketing_channels" as raw_row) as source_rows
        where not (channel_id is null)
        group by channel_id
        having count(*) > 1
    ),

    superseded as materialized (
        -- every delivery of those keys but the latest; ctid breaks _loaded_at ties (written last wins)
        select _row_position
        from (
            select _row_position,
                   row_number() over (partition by channel_id
                                      order by _loaded_at desc nulls last, _row_position desc) as version_rank
            from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."marketing_channels" as raw_row) as source_rows
            where (channel_id) in (select * from duplicated_keys)
        ) as ranked
        where version_rank > 1
    ),

    flagged as (
        -- each delivery with its key text and whether a later delivery replaced it
        select
            source_rows.*,
            coalesce(channel_id::text, '<null>') as _row_key,
            (channel_id is null) as _is_keyless,
            -- a hashed lookup of the few superseded deliveries (needs a work_mem that holds them:
            -- macros/session_settings.sql), not a join that hashes every raw row
            source_rows._row_position in (select _row_position from superseded) as _is_superseded
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."marketing_channels" as raw_row) as source_rows
    )

    select
        flagged.*,
        case when _is_keyless then null when _is_superseded then 2 else 1 end as _version_rank,
        case
            when _is_keyless then 'null_key'
            when _is_superseded then 'duplicate'
            when coalesce(lower(trim(type)), '') not in ('seo', 'influencer', 'social', 'ads', 'email') then 'unknown_enum'
            when coalesce(lower(trim(status)), '') not in ('active', 'paused', 'archived') then 'unknown_enum'
            when (monthly_budget < 0) then 'negative_value'
        end as _dq_reason,
        case
            when _is_keyless then 'a key column (channel_id) is null'
            when _is_superseded then 'superseded by a later delivery of the same key'
            when coalesce(lower(trim(type)), '') not in ('seo', 'influencer', 'social', 'ads', 'email') then 'type = ' || coalesce(quote_literal(type::text), 'null') || ' is not one of seo, influencer, social, ads, email'
            when coalesce(lower(trim(status)), '') not in ('active', 'paused', 'archived') then 'status = ' || coalesce(quote_literal(status::text), 'null') || ' is not one of active, paused, archived'
            when (monthly_budget < 0) then (case when monthly_budget < 0 then 'monthly_budget = ' || coalesce(quote_literal(monthly_budget::text), 'null') end) || ' is negative'
        end as _dq_details
    from flagged

) as versions
where _version_rank = 1 and _dq_reason is null