{{ config(
    partition_by=spark_store_partitions(),
    unique_key=['article_id', 'stat_date'],
    indexes=[{'columns': ['article_id', 'stat_date'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('article_daily_stats') }}",
) }}
-- one row per article and local date; bounce rate turned into a 0-100 percentage
select
    store_id::{{ text_type() }}                              as store_id,
    article_id::{{ text_type() }}                            as article_id,
    date::date                                  as stat_date,
    coalesce(impressions, 0)::bigint            as impressions,
    coalesce(organic_clicks, 0)::bigint         as organic_clicks,
    avg_position::numeric(6,2)                  as avg_position,
    coalesce(pageviews, 0)::bigint              as pageviews,
    coalesce(unique_visitors, 0)::bigint        as unique_visitors,
    avg_time_on_page_s::numeric(10,2)           as avg_time_on_page_s,
    (bounce_rate * 100)::numeric(7,4)           as bounce_rate_pct,
    _loaded_at::{{ tstz_type() }}                     as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('article_daily_stats') }}
) as versions
where {{ staging_filter() }}
