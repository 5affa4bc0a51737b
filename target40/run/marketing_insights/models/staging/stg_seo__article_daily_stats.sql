
      
  
    

  create  table "gen40"."staging"."stg_seo__article_daily_stats__dbt_tmp"
  
  
    as
  
  (
    
-- one row per article and local date; bounce rate turned into a 0-100 percentage
select
    store_id::text                              as store_id,
    article_id::text                            as article_id,
    date::date                                  as stat_date,
    coalesce(impressions, 0)::bigint            as impressions,
    coalesce(organic_clicks, 0)::bigint         as organic_clicks,
    avg_position::numeric(6,2)                  as avg_position,
    coalesce(pageviews, 0)::bigint              as pageviews,
    coalesce(unique_visitors, 0)::bigint        as unique_visitors,
    avg_time_on_page_s::numeric(10,2)           as avg_time_on_page_s,
    (bounce_rate * 100)::numeric(7,4)           as bounce_rate_pct,
    _loaded_at::timestamptz                     as loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz as staged_at
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    
    with duplicated_keys as materialized (
        -- keys delivered more than once: only their deliveries are ranked (a narrow aggregate of
        -- the key instead of a sort of every whole row)
        select article_id, date
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."article_daily_stats" as raw_row) as source_rows
        where not (article_id is null or date is null)
        group by article_id, date
        having count(*) > 1
    ),

    superseded as materialized (
        -- every delivery of those keys but the latest; ctid breaks _loaded_at ties (written last wins)
        select _row_position
        from (
            select _row_position,
                   row_number() over (partition by article_id, date
                                      order by _loaded_at desc nulls last, _row_position desc) as version_rank
            from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."article_daily_stats" as raw_row) as source_rows
            where (article_id, date) in (select * from duplicated_keys)
        ) as ranked
        where version_rank > 1
    ),

    flagged as (
        -- each delivery with its key text and whether a later delivery replaced it
        select
            source_rows.*,
            coalesce(article_id::text, '<null>') || '|' || coalesce(date::text, '<null>') as _row_key,
            (article_id is null or date is null) as _is_keyless,
            -- a hashed lookup of the few superseded deliveries (needs a work_mem that holds them:
            -- macros/session_settings.sql), not a join that hashes every raw row
            source_rows._row_position in (select _row_position from superseded) as _is_superseded
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."article_daily_stats" as raw_row) as source_rows
    )

    select
        flagged.*,
        case when _is_keyless then null when _is_superseded then 2 else 1 end as _version_rank,
        case
            when _is_keyless then 'null_key'
            when _is_superseded then 'duplicate'
            when (impressions < 0 or organic_clicks < 0 or avg_position < 0 or pageviews < 0 or unique_visitors < 0 or avg_time_on_page_s < 0 or bounce_rate < 0) then 'negative_value'
            when bounce_rate > 1 then 'out_of_range'
            when date > ((least(coalesce(_loaded_at, '2026-12-06T12:30:54.482240+00:00'::timestamptz), '2026-12-06T12:30:54.482240+00:00'::timestamptz)
     + interval '24 hours'))::date then 'future_timestamp'
        end as _dq_reason,
        case
            when _is_keyless then 'a key column (article_id, date) is null'
            when _is_superseded then 'superseded by a later delivery of the same key'
            when (impressions < 0 or organic_clicks < 0 or avg_position < 0 or pageviews < 0 or unique_visitors < 0 or avg_time_on_page_s < 0 or bounce_rate < 0) then (case when impressions < 0 then 'impressions = ' || coalesce(quote_literal(impressions::text), 'null') when organic_clicks < 0 then 'organic_clicks = ' || coalesce(quote_literal(organic_clicks::text), 'null') when avg_position < 0 then 'avg_position = ' || coalesce(quote_literal(avg_position::text), 'null') when pageviews < 0 then 'pageviews = ' || coalesce(quote_literal(pageviews::text), 'null') when unique_visitors < 0 then 'unique_visitors = ' || coalesce(quote_literal(unique_visitors::text), 'null') when avg_time_on_page_s < 0 then 'avg_time_on_page_s = ' || coalesce(quote_literal(avg_time_on_page_s::text), 'null') when bounce_rate < 0 then 'bounce_rate = ' || coalesce(quote_literal(bounce_rate::text), 'null') end) || ' is negative'
            when bounce_rate > 1 then 'bounce_rate = ' || coalesce(quote_literal(bounce_rate::text), 'null') || ' is above 1 (it is a fraction)'
            when date > ((least(coalesce(_loaded_at, '2026-12-06T12:30:54.482240+00:00'::timestamptz), '2026-12-06T12:30:54.482240+00:00'::timestamptz)
     + interval '24 hours'))::date then 'date = ' || coalesce(quote_literal(date::text), 'null') || ' is in the future'
        end as _dq_details
    from flagged

) as versions
where _version_rank = 1 and _dq_reason is null
  );
  
  