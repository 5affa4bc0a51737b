
      
  
    

  create  table "gen40"."intermediate"."int_sessions__dbt_tmp"
  
  
    as
  
  (
    -- one row per clean web session of a known store: its store-local date, channel (first matching
-- channel_mapping rule), `<type>:<id>` source and the person whose journey it belongs to.
-- Incremental: the sessions (re)staged or quarantined since the last run, and every session of
-- a browser whose identity link changed, are rewritten; a session that left staging (its latest
-- delivery is bad) or lost its store stays as a tombstone (is_removed) that tells the
-- downstream models which journey, day and month it leaves.

-- pre-hook: PostgreSQL cannot estimate the distinct lookup keys below and would sort every session
-- to merge-join them (~30 s at scale 40) instead of hashing the 35 k keys
-- depends_on: "gen40"."staging"."quarantine_web__sessions"
-- depends_on: "gen40"."staging"."quarantine_web__customer_identities"

with

lookup_keys as (
    -- the few distinct combinations that decide a session's channel and source (35 k among 7 M
    -- sessions at scale 40): each is resolved once below, then joined back; '' stands for a
    -- missing field, and only a /blog/ landing can name an article
    select distinct
        store_id,
        coalesce(utm_medium, '')        as utm_medium,
        coalesce(utm_source, '')        as utm_source,
        coalesce(referrer_host, '')     as referrer_host,
        coalesce(utm_campaign, '')      as utm_campaign,
        coalesce(utm_content, '')       as utm_content,
        coalesce(case when landing_path like '/blog/%' then landing_path end, '') as landing_path
    from (select staged.* from "gen40"."staging"."stg_web__sessions" as staged ) as sessions
),

stores as (
    -- timezone to bucket the visit into the store's calendar; a session of an unknown store is
    -- quarantined by int_quality__unknown_references instead
    select store_id, timezone from "gen40"."staging"."stg_shop__stores"
),

classified as (
    -- first matching channel_mapping rule by priority
    select
        lookup_keys.*,
        case
        when nullif(utm_medium, '') ~ '^influencer$' then 'influencer'
        when nullif(utm_medium, '') ~ '^(social|social-organic|social_organic)$' then 'social'
        when nullif(utm_medium, '') ~ '^(cpc|ppc|paid|paid_social|paid-social)$' then 'ads'
        when nullif(utm_medium, '') ~ '^(email|e-mail|newsletter)$' then 'email'
        when nullif(utm_medium, '') ~ '^organic$' then 'seo'
        when nullif(referrer_host, '') ~ '(^|\.)(google|bing|duckduckgo|yahoo|yandex|baidu|ecosia|naver|qwant|startpage)\.[a-z.]+$|^search\.brave\.com$' and not (utm_source <> '' or utm_medium <> '' or utm_campaign <> '' or utm_content <> '') then 'seo'
        when nullif(referrer_host, '') ~ '(^|\.)(facebook|instagram|twitter|x|tiktok|pinterest|linkedin|reddit|youtube|threads|snapchat)\.com$|^(t\.co|lnkd\.in|youtu\.be)$' and not (utm_source <> '' or utm_medium <> '' or utm_campaign <> '' or utm_content <> '') then 'social'
        when (referrer_host <> '') then 'referral'
        when (utm_source <> '' or utm_medium <> '' or utm_campaign <> '' or utm_content <> '') and not (referrer_host <> '') then 'referral'
        when not (utm_source <> '' or utm_medium <> '' or utm_campaign <> '' or utm_content <> '') and not (referrer_host <> '') then 'direct'
        else 'unclassified'
    end
 as channel
    from lookup_keys
),

articles as (
    -- SEO landings on /blog/<slug> credit that article
    select store_id, landing_path, min(article_id) as article_id
    from "gen40"."staging"."stg_seo__blog_articles"
    group by 1, 2
),

influencer_campaigns as (
    -- utm ids are matched case-insensitively and replaced by the canonical id
    select store_id, lower(campaign_id) as campaign_key, min(campaign_id) as campaign_id
    from "gen40"."staging"."stg_influencer__campaigns"
    group by 1, 2
),

influencer_deliveries as (
    -- utm_content names the delivery; its contract names the campaign when utm_campaign is missing
    select store_id, lower(delivery_id) as delivery_key, min(delivery_id) as delivery_id, min(campaign_id) as campaign_id
    from "gen40"."intermediate"."int_influencer__deliveries"
    group by 1, 2
),

social_posts as (
    -- posts known to the social connector
    select store_id, lower(post_id) as post_key, min(post_id) as post_id
    from "gen40"."staging"."stg_social__posts_daily"
    group by 1, 2
),

ad_campaigns as (
    -- the ads platform of a campaign id (sessions only carry the id)
    select store_id, lower(campaign_id) as campaign_key, min(campaign_id) as campaign_id, min(platform) as platform
    from "gen40"."staging"."stg_ads__campaign_daily"
    group by 1, 2
),

resolved as materialized (
    -- each lookup key's channel, the ids it resolves to, and its `<type>:<id>` source (marts.md;
    -- `unassigned` when nothing more specific is known); materialized: resolved once, not
    -- re-planned inside the join of every session
    select
        keyed.*,
        (case
            when keyed.channel = 'seo' and keyed.article_id is not null then 'article:' || keyed.article_id
            when keyed.channel = 'influencer' and keyed.influencer_campaign_id is not null
                then 'campaign:' || keyed.influencer_campaign_id
            when keyed.channel = 'social' and keyed.post_id is not null then 'post:' || keyed.post_id
            when keyed.channel = 'ads' and keyed.ad_campaign_id is not null
                then 'ad_campaign:' || keyed.ad_platform || ':' || keyed.ad_campaign_id
            else 'unassigned'
        end)::text as source
    from (
        select
            classified.*,
            case when classified.channel = 'seo' then articles.article_id end::text as article_id,
            case when classified.channel = 'influencer' then coalesce(influencer_campaigns.campaign_id,
                 influencer_deliveries.campaign_id, nullif(classified.utm_campaign, '')) end::text as influencer_campaign_id,
            case when classified.channel = 'influencer'
                 then coalesce(influencer_deliveries.delivery_id, nullif(classified.utm_content, '')) end::text as delivery_id,
            case when classified.channel = 'social'
                 then coalesce(social_posts.post_id, nullif(classified.utm_content, '')) end::text as post_id,
            case when classified.channel = 'ads'
                 then coalesce(ad_campaigns.platform, nullif(classified.utm_source, ''), 'unknown') end::text as ad_platform,
            case when classified.channel = 'ads'
                 then coalesce(ad_campaigns.campaign_id, nullif(classified.utm_campaign, '')) end::text as ad_campaign_id
        from classified
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
    ) as keyed
),

identities as (
    -- identity stitching: a browser linked to a customer joins that customer's journey
    select store_id, visitor_id, customer_id, loaded_at from "gen40"."staging"."stg_web__customer_identities"
),

current_rows as (
    -- every session with its local date, its key's resolution and its person
    select
        sessions.store_id::text                                                         as store_id,
        sessions.session_id::text                                                       as session_id,
        sessions.visitor_id::text                                                       as visitor_id,
        coalesce(sessions.customer_id, identities.customer_id)::text                    as customer_id,
        coalesce(sessions.customer_id, identities.customer_id, 'visitor:' || sessions.visitor_id, 'session:' || sessions.session_id)::text                    as person_key,
        sessions.started_at::timestamptz                                                as started_at,
        (sessions.started_at at time zone stores.timezone)::date                        as session_date,
        sessions.duration_s::integer                                                    as duration_s,
        sessions.pageviews::integer                                                     as pageviews,
        sessions.bounced::boolean                                                       as bounced,
        sessions.landing_path::text                                                     as landing_path,
        sessions.referrer_host::text                                                    as referrer_host,
        sessions.utm_source::text                                                       as utm_source,
        sessions.utm_medium::text                                                       as utm_medium,
        sessions.utm_campaign::text                                                     as utm_campaign,
        sessions.utm_content::text                                                      as utm_content,
        resolved.channel::text                                                          as channel,
        resolved.article_id,
        resolved.influencer_campaign_id,
        resolved.delivery_id,
        resolved.post_id,
        resolved.ad_platform,
        resolved.ad_campaign_id,
        resolved.source,
        greatest(sessions.loaded_at, coalesce(identities.loaded_at, sessions.loaded_at))::timestamptz as loaded_at,
        false                                                                           as is_removed
    from (select staged.* from "gen40"."staging"."stg_web__sessions" as staged ) as sessions
    inner join stores on stores.store_id = sessions.store_id
    -- every session has its key (a left join only keeps the planner from expecting none)
    left join resolved
        on resolved.store_id = sessions.store_id
       and resolved.utm_medium = coalesce(sessions.utm_medium, '')
       and resolved.utm_source = coalesce(sessions.utm_source, '')
       and resolved.referrer_host = coalesce(sessions.referrer_host, '')
       and resolved.utm_campaign = coalesce(sessions.utm_campaign, '')
       and resolved.utm_content = coalesce(sessions.utm_content, '')
       and resolved.landing_path = coalesce(case when sessions.landing_path like '/blog/%' then sessions.landing_path end, '')
    left join identities
        on identities.store_id = sessions.store_id and identities.visitor_id = sessions.visitor_id
)

select
    current_rows.*,
    null::date                                                                          as previous_session_date,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                                                   as processed_at
from current_rows
  );
  
  