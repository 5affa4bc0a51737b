-- one row per blog article of a known store, with its store-local publish and schedule dates
{{ config(materialized='view') }}

with articles as (
    select * from {{ ref('stg_seo__blog_articles') }}
),

stores as (
    -- timezone for local calendar dates
    select store_id, timezone from {{ ref('stg_shop__stores') }}
)

select
    articles.article_id::{{ text_type() }}                                      as article_id,
    articles.store_id::{{ text_type() }}                                        as store_id,
    articles.title::{{ text_type() }}                                           as title,
    articles.slug::{{ text_type() }}                                            as slug,
    articles.landing_path::{{ text_type() }}                                    as landing_path,
    articles.target_keyword::{{ text_type() }}                                  as target_keyword,
    articles.status::{{ text_type() }}                                          as status,
    articles.scheduled_for::{{ tstz_type() }}                            as scheduled_for,
    articles.published_at::{{ tstz_type() }}                             as published_at,
    {{ local_time('articles.scheduled_for', 'stores.timezone') }}::date    as scheduled_date,
    {{ local_time('articles.published_at', 'stores.timezone') }}::date    as published_date,
    articles.created_at::{{ tstz_type() }}                               as created_at,
    articles.loaded_at::{{ tstz_type() }}                                as loaded_at
from articles
inner join stores on stores.store_id = articles.store_id
