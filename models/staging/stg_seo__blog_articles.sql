{{ config(
    partition_by=spark_store_partitions(),
    unique_key=['article_id'],
    indexes=[{'columns': ['article_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('blog_articles') }}",
) }}
-- one row per article with its landing path (local publish/schedule dates: int_seo__articles)
select
    article_id::{{ text_type() }}                                as article_id,
    store_id::{{ text_type() }}                                  as store_id,
    title::{{ text_type() }}                                     as title,
    lower(trim(slug))::{{ text_type() }}                         as slug,
    ('/blog/' || lower(trim(slug)))::{{ text_type() }}           as landing_path,
    target_keyword::{{ text_type() }}                            as target_keyword,
    lower(trim(status))::{{ text_type() }}                       as status,
    scheduled_for::{{ tstz_type() }}                      as scheduled_for,
    published_at::{{ tstz_type() }}                       as published_at,
    created_at::{{ tstz_type() }}                         as created_at,
    _loaded_at::{{ tstz_type() }}                         as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('blog_articles') }}
) as versions
where {{ staging_filter() }}
