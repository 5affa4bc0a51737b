-- one row per article, with its landing path and local publish/schedule dates
with articles as (
    -- clean, latest delivery of each article
    select * from {{ ref('base_seo__blog_articles') }} where _dq_reason is null
),

stores as (
    -- timezone for local calendar dates
    select store_id, timezone from {{ ref('stg_shop__stores') }}
)

select
    articles.article_id::text                                      as article_id,
    articles.store_id::text                                        as store_id,
    articles.title::text                                           as title,
    lower(trim(articles.slug))::text                               as slug,
    ('/blog/' || lower(trim(articles.slug)))::text                 as landing_path,
    articles.target_keyword::text                                  as target_keyword,
    lower(trim(articles.status))::text                             as status,
    articles.scheduled_for::timestamptz                            as scheduled_for,
    articles.published_at::timestamptz                             as published_at,
    (articles.scheduled_for at time zone stores.timezone)::date    as scheduled_date,
    (articles.published_at at time zone stores.timezone)::date     as published_date,
    articles.created_at::timestamptz                               as created_at,
    articles._loaded_at::timestamptz                               as loaded_at
from articles
inner join stores on stores.store_id = articles.store_id
