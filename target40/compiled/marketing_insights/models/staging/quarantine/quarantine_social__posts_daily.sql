-- every social_posts_daily delivery excluded from staging, with why (macros/staging.sql)

with versions as (
        -- every delivery this run judges (raw_versions, macros/staging.sql)
        
    with duplicated_keys as materialized (
        -- keys delivered more than once: only their deliveries are ranked (a narrow aggregate of
        -- the key instead of a sort of every whole row)
        select post_id, date
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."social_posts_daily" as raw_row) as source_rows
        where not (post_id is null or date is null)
        group by post_id, date
        having count(*) > 1
    ),

    superseded as materialized (
        -- every delivery of those keys but the latest; ctid breaks _loaded_at ties (written last wins)
        select _row_position
        from (
            select _row_position,
                   row_number() over (partition by post_id, date
                                      order by _loaded_at desc nulls last, _row_position desc) as version_rank
            from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."social_posts_daily" as raw_row) as source_rows
            where (post_id, date) in (select * from duplicated_keys)
        ) as ranked
        where version_rank > 1
    ),

    flagged as (
        -- each delivery with its key text and whether a later delivery replaced it
        select
            source_rows.*,
            coalesce(post_id::text, '<null>') || '|' || coalesce(date::text, '<null>') as _row_key,
            (post_id is null or date is null) as _is_keyless,
            -- a hashed lookup of the few superseded deliveries (needs a work_mem that holds them:
            -- macros/session_settings.sql), not a join that hashes every raw row
            source_rows._row_position in (select _row_position from superseded) as _is_superseded
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."social_posts_daily" as raw_row) as source_rows
    )

    select
        flagged.*,
        case when _is_keyless then null when _is_superseded then 2 else 1 end as _version_rank,
        case
            when _is_keyless then 'null_key'
            when _is_superseded then 'duplicate'
            when (impressions < 0 or engagements < 0 or clicks < 0 or spend < 0) then 'negative_value'
            when date > ((least(coalesce(_loaded_at, '2026-12-06T12:30:54.482240+00:00'::timestamptz), '2026-12-06T12:30:54.482240+00:00'::timestamptz)
     + interval '24 hours'))::date then 'future_timestamp'
        end as _dq_reason,
        case
            when _is_keyless then 'a key column (post_id, date) is null'
            when _is_superseded then 'superseded by a later delivery of the same key'
            when (impressions < 0 or engagements < 0 or clicks < 0 or spend < 0) then (case when impressions < 0 then 'impressions = ' || coalesce(quote_literal(impressions::text), 'null') when engagements < 0 then 'engagements = ' || coalesce(quote_literal(engagements::text), 'null') when clicks < 0 then 'clicks = ' || coalesce(quote_literal(clicks::text), 'null') when spend < 0 then 'spend = ' || coalesce(quote_literal(spend::text), 'null') end) || ' is negative'
            when date > ((least(coalesce(_loaded_at, '2026-12-06T12:30:54.482240+00:00'::timestamptz), '2026-12-06T12:30:54.482240+00:00'::timestamptz)
     + interval '24 hours'))::date then 'date = ' || coalesce(quote_literal(date::text), 'null') || ' is in the future'
        end as _dq_details
    from flagged

    ),

    judged as (
        select
            'social_posts_daily'::text                                   as table_name,
            _row_key::text                                                 as row_key,
            store_id::text                    as store_id,
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
