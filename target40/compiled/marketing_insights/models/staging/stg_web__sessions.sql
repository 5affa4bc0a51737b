
-- one row per web session, cleaned: utm/referrer/landing fields trimmed and lower-cased,
-- empty strings as null (local date, channel, source and person: int_sessions)
select
    session_id::text                                                        as session_id,
    store_id::text                                                          as store_id,
    nullif(trim(visitor_id), '')::text                                      as visitor_id,
    nullif(trim(customer_id), '')::text                                     as customer_id,
    started_at::timestamptz                                                 as started_at,
    greatest(coalesce(duration_s, 0), 0)::integer                           as duration_s,
    greatest(coalesce(pageviews, 0), 0)::integer                            as pageviews,
    coalesce(bounced, false)::boolean                                       as bounced,
    -- path without query string, fragment or trailing slash; split_part, not a regex, on millions of rows
    coalesce(nullif(rtrim(split_part(split_part(lower(trim(landing_path)), '?', 1), '#', 1), '/'), ''), '/')::text
                                                                            as landing_path,
    nullif((case when lower(trim(referrer_host)) like 'www.%' then substr(lower(trim(referrer_host)), 5)
                 else lower(trim(referrer_host)) end), '')::text            as referrer_host,
    nullif(lower(trim(utm_source)), '')::text                               as utm_source,
    nullif(lower(trim(utm_medium)), '')::text                               as utm_medium,
    nullif(lower(trim(utm_campaign)), '')::text                             as utm_campaign,
    nullif(lower(trim(utm_content)), '')::text                              as utm_content,
    _loaded_at::timestamptz                                                 as loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz as staged_at
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    
    with duplicated_keys as materialized (
        -- keys delivered more than once: only their deliveries are ranked (a narrow aggregate of
        -- the key instead of a sort of every whole row)
        select session_id
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."web_sessions" as raw_row) as source_rows
        where not (session_id is null)
        group by session_id
        having count(*) > 1
    ),

    superseded as materialized (
        -- every delivery of those keys but the latest; ctid breaks _loaded_at ties (written last wins)
        select _row_position
        from (
            select _row_position,
                   row_number() over (partition by session_id
                                      order by _loaded_at desc nulls last, _row_position desc) as version_rank
            from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."web_sessions" as raw_row) as source_rows
            where (session_id) in (select * from duplicated_keys)
        ) as ranked
        where version_rank > 1
    ),

    flagged as (
        -- each delivery with its key text and whether a later delivery replaced it
        select
            source_rows.*,
            coalesce(session_id::text, '<null>') as _row_key,
            (session_id is null) as _is_keyless,
            -- a hashed lookup of the few superseded deliveries (needs a work_mem that holds them:
            -- macros/session_settings.sql), not a join that hashes every raw row
            source_rows._row_position in (select _row_position from superseded) as _is_superseded
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."web_sessions" as raw_row) as source_rows
    )

    select
        flagged.*,
        case when _is_keyless then null when _is_superseded then 2 else 1 end as _version_rank,
        case
            when _is_keyless then 'null_key'
            when _is_superseded then 'duplicate'
            when started_at is null then 'missing_value'
            when (duration_s < 0 or pageviews < 0) then 'negative_value'
            when started_at > (least(coalesce(_loaded_at, '2026-12-06T12:30:54.482240+00:00'::timestamptz), '2026-12-06T12:30:54.482240+00:00'::timestamptz)
     + interval '24 hours') then 'future_timestamp'
        end as _dq_reason,
        case
            when _is_keyless then 'a key column (session_id) is null'
            when _is_superseded then 'superseded by a later delivery of the same key'
            when started_at is null then 'started_at is null'
            when (duration_s < 0 or pageviews < 0) then (case when duration_s < 0 then 'duration_s = ' || coalesce(quote_literal(duration_s::text), 'null') when pageviews < 0 then 'pageviews = ' || coalesce(quote_literal(pageviews::text), 'null') end) || ' is negative'
            when started_at > (least(coalesce(_loaded_at, '2026-12-06T12:30:54.482240+00:00'::timestamptz), '2026-12-06T12:30:54.482240+00:00'::timestamptz)
     + interval '24 hours') then 'started_at = ' || coalesce(quote_literal(started_at::text), 'null') || ' is in the future'
        end as _dq_details
    from flagged

) as versions
where _version_rank = 1 and _dq_reason is null