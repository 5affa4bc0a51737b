
  create view "gen40"."intermediate"."int_seo__articles__dbt_tmp"
    
    
  as (
    -- one row per blog article of a known store, with its store-local publish and schedule dates


with articles as (
    select * from "gen40"."staging"."stg_seo__blog_articles"
),

stores as (
    -- timezone for local calendar dates
    select store_id, timezone from "gen40"."staging"."stg_shop__stores"
)

select
    articles.article_id::text                                      as article_id,
    articles.store_id::text                                        as store_id,
    articles.title::text                                           as title,
    articles.slug::text                                            as slug,
    articles.landing_path::text                                    as landing_path,
    articles.target_keyword::text                                  as target_keyword,
    articles.status::text                                          as status,
    articles.scheduled_for::timestamptz                            as scheduled_for,
    articles.published_at::timestamptz                             as published_at,
    (articles.scheduled_for at time zone stores.timezone)::date    as scheduled_date,
    (articles.published_at at time zone stores.timezone)::date     as published_date,
    articles.created_at::timestamptz                               as created_at,
    articles.loaded_at::timestamptz                                as loaded_at
from articles
inner join stores on stores.store_id = articles.store_id
  );