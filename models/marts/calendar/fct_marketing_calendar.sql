-- one row per content item: blog articles and influencer deliveries with their store-local date
{{ config(
    materialized='table',
    indexes=[{'columns': ['store_id', 'scheduled_date']}, {'columns': ['item_type', 'item_id'], 'unique': true}],
) }}

with articles as (
    select * from {{ ref('int_seo__articles') }}
),

deliveries as (
    select * from {{ ref('int_influencer__deliveries') }}
),

campaigns as (
    select campaign_id, campaign_name from {{ ref('int_influencer__campaigns') }}
)

select
    articles.store_id::{{ text_type() }}                                             as store_id,
    'seo_article'::{{ text_type() }}                                                 as item_type,
    articles.article_id::{{ text_type() }}                                           as item_id,
    'seo'::{{ text_type() }}                                                         as channel,
    ('article:' || articles.article_id)::{{ text_type() }}                           as source,
    articles.title::{{ text_type() }}                                                as title,
    -- published date when published, else the date it is scheduled for (both store-local)
    coalesce(articles.published_date, articles.scheduled_date)::date    as scheduled_date,
    articles.status::{{ text_type() }}                                               as status,
    null::{{ text_type() }}                                                          as platform
from articles

union all

select
    deliveries.store_id::{{ text_type() }}                                           as store_id,
    'influencer_delivery'::{{ text_type() }}                                         as item_type,
    deliveries.delivery_id::{{ text_type() }}                                        as item_id,
    'influencer'::{{ text_type() }}                                                  as channel,
    coalesce('campaign:' || deliveries.campaign_id, 'unassigned')::{{ text_type() }} as source,
    (coalesce(campaigns.campaign_name, deliveries.campaign_id, 'Influencer delivery')
        || ': ' || coalesce(deliveries.deliverable_type, 'delivery'))::{{ text_type() }} as title,
    deliveries.post_date::date                                          as scheduled_date,
    deliveries.status::{{ text_type() }}                                             as status,
    deliveries.platform::{{ text_type() }}                                           as platform
from deliveries
left join campaigns on campaigns.campaign_id = deliveries.campaign_id
