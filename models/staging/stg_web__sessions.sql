-- one row per web session: normalised utm/referrer, store-local date, channel and source
with sessions as (
    -- clean, latest delivery of each session
    select * from {{ ref('base_web__sessions') }} where _dq_reason is null
),

stores as (
    -- timezone to bucket the visit into the store's calendar
    select store_id, timezone from {{ ref('stg_shop__stores') }}
),

normalised as (
    -- utm values arrive in any case with stray spaces; empty strings mean absent
    select
        session_id,
        store_id,
        nullif(trim(visitor_id), '')                                           as visitor_id,
        nullif(trim(customer_id), '')                                          as customer_id,
        started_at,
        duration_s,
        pageviews,
        bounced,
        coalesce(nullif(rtrim(regexp_replace(lower(trim(landing_path)), '[?#].*$', ''), '/'), ''), '/') as landing_path,
        nullif(regexp_replace(lower(trim(referrer_host)), '^www\.', ''), '')  as referrer_host,
        nullif(lower(trim(utm_source)), '')                                    as utm_source,
        nullif(lower(trim(utm_medium)), '')                                    as utm_medium,
        nullif(lower(trim(utm_campaign)), '')                                  as utm_campaign,
        nullif(lower(trim(utm_content)), '')                                   as utm_content,
        _loaded_at
    from sessions
),

classified as materialized (
    -- first matching channel_mapping rule wins; materialized so the CASE runs once per row,
    -- not once per reference below (an inlined CTE would repeat it ~10 times)
    select
        normalised.*,
        {{ classify_channel(
            'utm_medium', 'utm_source', 'referrer_host', 'landing_path',
            '(utm_source is not null or utm_medium is not null or utm_campaign is not null or utm_content is not null)',
            '(referrer_host is not null)') }} as channel
    from normalised
),

articles as (
    -- SEO landings on /blog/<slug> credit that article
    select store_id, landing_path, min(article_id) as article_id
    from {{ ref('stg_seo__blog_articles') }}
    group by 1, 2
),

influencer_campaigns as (
    -- utm ids are matched case-insensitively and replaced by the canonical id
    select store_id, lower(campaign_id) as campaign_key, min(campaign_id) as campaign_id
    from {{ ref('stg_influencer__campaigns') }}
    group by 1, 2
),

influencer_deliveries as (
    -- utm_content names the delivery; its contract names the campaign when utm_campaign is missing
    select store_id, lower(delivery_id) as delivery_key, min(delivery_id) as delivery_id, min(campaign_id) as campaign_id
    from {{ ref('stg_influencer__deliveries') }}
    group by 1, 2
),

social_posts as (
    -- posts known to the social connector
    select store_id, lower(post_id) as post_key, min(post_id) as post_id
    from {{ ref('stg_social__posts_daily') }}
    group by 1, 2
),

ad_campaigns as (
    -- the ads platform of a campaign id (sessions only carry the id)
    select store_id, lower(campaign_id) as campaign_key, min(campaign_id) as campaign_id, min(platform) as platform
    from {{ ref('stg_ads__campaign_daily') }}
    group by 1, 2
)

select
    classified.session_id::text                                                as session_id,
    classified.store_id::text                                                  as store_id,
    classified.visitor_id::text                                                as visitor_id,
    classified.customer_id::text                                               as customer_id,
    classified.started_at::timestamptz                                         as started_at,
    (classified.started_at at time zone stores.timezone)::date                 as session_date,
    greatest(coalesce(classified.duration_s, 0), 0)::integer                   as duration_s,
    greatest(coalesce(classified.pageviews, 0), 0)::integer                    as pageviews,
    coalesce(classified.bounced, false)::boolean                               as bounced,
    classified.landing_path::text                                              as landing_path,
    classified.referrer_host::text                                             as referrer_host,
    classified.utm_source::text                                                as utm_source,
    classified.utm_medium::text                                                as utm_medium,
    classified.utm_campaign::text                                              as utm_campaign,
    classified.utm_content::text                                               as utm_content,
    classified.channel::text                                                   as channel,
    case when classified.channel = 'seo' then articles.article_id end::text    as article_id,
    case when classified.channel = 'influencer'
         then coalesce(influencer_campaigns.campaign_id, influencer_deliveries.campaign_id, classified.utm_campaign)
    end::text                                                                  as influencer_campaign_id,
    case when classified.channel = 'influencer'
         then coalesce(influencer_deliveries.delivery_id, classified.utm_content)
    end::text                                                                  as delivery_id,
    case when classified.channel = 'social'
         then coalesce(social_posts.post_id, classified.utm_content)
    end::text                                                                  as post_id,
    case when classified.channel = 'ads'
         then coalesce(ad_campaigns.platform, classified.utm_source, 'unknown')
    end::text                                                                  as ad_platform,
    case when classified.channel = 'ads'
         then coalesce(ad_campaigns.campaign_id, classified.utm_campaign)
    end::text                                                                  as ad_campaign_id,
    -- the `<type>:<id>` source of marts.md; `unassigned` when nothing more specific is known
    (case
        when classified.channel = 'seo' and articles.article_id is not null
            then 'article:' || articles.article_id
        when classified.channel = 'influencer'
             and coalesce(influencer_campaigns.campaign_id, influencer_deliveries.campaign_id, classified.utm_campaign) is not null
            then 'campaign:' || coalesce(influencer_campaigns.campaign_id, influencer_deliveries.campaign_id, classified.utm_campaign)
        when classified.channel = 'social' and coalesce(social_posts.post_id, classified.utm_content) is not null
            then 'post:' || coalesce(social_posts.post_id, classified.utm_content)
        when classified.channel = 'ads' and coalesce(ad_campaigns.campaign_id, classified.utm_campaign) is not null
            then 'ad_campaign:' || coalesce(ad_campaigns.platform, classified.utm_source, 'unknown')
                 || ':' || coalesce(ad_campaigns.campaign_id, classified.utm_campaign)
        else 'unassigned'
    end)::text                                                                 as source,
    classified._loaded_at::timestamptz                                         as loaded_at
from classified
inner join stores on stores.store_id = classified.store_id
left join articles
    on articles.store_id = classified.store_id and articles.landing_path = classified.landing_path
left join influencer_campaigns
    on influencer_campaigns.store_id = classified.store_id and influencer_campaigns.campaign_key = classified.utm_campaign
left join influencer_deliveries
    on influencer_deliveries.store_id = classified.store_id and influencer_deliveries.delivery_key = classified.utm_content
left join social_posts
    on social_posts.store_id = classified.store_id and social_posts.post_key = classified.utm_content
left join ad_campaigns
    on ad_campaigns.store_id = classified.store_id and ad_campaigns.campaign_key = classified.utm_campaign
