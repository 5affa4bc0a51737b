{{ config(
    unique_key=['article_id'],
    indexes=[{'columns': ['article_id'], 'unique': true}, {'columns': ['staged_at']}],
    post_hook="{{ record_raw_watermark('blog_articles') }}",
) }}
-- one row per article with its landing path (local publish/schedule dates: int_seo__articles)
select
    article_id::text                                as article_id,
    store_id::text                                  as store_id,
    title::text                                     as title,
    lower(trim(slug))::text                         as slug,
    ('/blog/' || lower(trim(slug)))::text           as landing_path,
    target_keyword::text                            as target_keyword,
    lower(trim(status))::text                       as status,
    scheduled_for::timestamptz                      as scheduled_for,
    published_at::timestamptz                       as published_at,
    created_at::timestamptz                         as created_at,
    _loaded_at::timestamptz                         as loaded_at,
    {{ staging_bookkeeping() }}
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    {{ raw_versions('blog_articles') }}
) as versions
where {{ staging_filter() }}
