-- one row per clean web session of a known store: its store-local date, channel (first matching
-- channel_mapping rule), `<type>:<id>` source and the person whose journey it belongs to.
-- Incremental: the sessions (re)staged or quarantined since the last run, and every session of
-- a browser whose identity link changed, are rewritten; a session that left staging (its latest
-- delivery is bad) or lost its store stays as a tombstone (is_removed) that tells the
-- downstream models which journey, day and month it leaves.
{{ config(
    materialized='incremental',
    partition_by=spark_store_partitions(),
    unique_key='session_id',
    incremental_strategy=incremental_strategy_for('delete+insert'),
    on_schema_change='fail',
    indexes=[
        {'columns': ['session_id'], 'unique': true},
        {'columns': ['store_id', 'person_key', 'started_at']},
        {'columns': ['store_id', 'visitor_id']},
        {'columns': ['store_id', 'session_date']},
        {'columns': ['processed_at'], 'type': 'brin'},
    ],
    pre_hook=["{{ local_planner_setting('enable_mergejoin = off') }}",
              "{{ local_planner_setting('enable_nestloop = ' ~ ('on' if incremental_batch() else 'off')) }}",
              "{{ add_derived_columns(sessions_visit_key_columns()) }}"],
    post_hook="{{ run_watermark_post_hook() }}",
) }}
-- pre-hooks: PostgreSQL cannot estimate the distinct lookup keys below and would sort every session
-- to merge-join them (~30 s at scale 40) instead of hashing the 35 k keys; and on a full build it
-- would look each browser's identity up through the index (3.5 M lookups, 16 s) instead of hashing
-- the identities (0.4 s); an incremental batch is small, so there the lookups are right
-- depends_on: {{ ref('quarantine_web__sessions') }}
-- depends_on: {{ ref('quarantine_web__customer_identities') }}

with
{%- if incremental_batch() %}
{%- set since = model_watermark() %}
changed_visitors as (
    -- browsers whose identity link was (re)delivered or withdrawn since the last run
    {{ relinked_visitors_since(since) }}
),

batch_keys as (
    -- sessions to rewrite: (re)staged or quarantined since the last run, and every session of a
    -- browser that changed person
    {{ restaged_keys_since('web_sessions', since) }}
    union
    select built.session_id
    from {{ this }} as built
    inner join changed_visitors
        on changed_visitors.store_id = built.store_id and changed_visitors.visitor_id = built.visitor_id
),
{%- endif %}

{%- set batch_filter -%}
    {%- if incremental_batch() %} where staged.session_id in (select session_id from batch_keys){% endif -%}
{%- endset %}
{#- read twice below, so not a CTE: a materialized copy of every session would spill on a full build -#}
{%- set sessions -%}
    (select staged.* from {{ ref('stg_web__sessions') }} as staged {{ batch_filter }})
{%- endset %}

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
        {{ session_lookup_path('landing_path') }} as landing_path
    from {{ sessions }} as sessions
),

stores as (
    -- timezone to bucket the visit into the store's calendar; a session of an unknown store is
    -- quarantined by int_quality__unknown_references instead
    select store_id, timezone from {{ ref('stg_shop__stores') }}
),

classified as (
    -- first matching channel_mapping rule by priority
    select
        lookup_keys.*,
        {{ classify_channel(
            "nullif(utm_medium, '')", "nullif(utm_source, '')", "nullif(referrer_host, '')", "nullif(landing_path, '')",
            "(utm_source <> '' or utm_medium <> '' or utm_campaign <> '' or utm_content <> '')",
            "(referrer_host <> '')") }} as channel
    from lookup_keys
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
    select
        store_id, lower(delivery_id) as delivery_key, min(delivery_id) as delivery_id, min(campaign_id) as campaign_id
    from {{ ref('int_influencer__deliveries') }}
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
),

resolved as {{ cte_materialized() }} (
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
        end)::{{ text_type() }} as source
    from (
        select
            classified.*,
            case when classified.channel = 'seo' then articles.article_id end::{{ text_type() }} as article_id,
            case when classified.channel = 'influencer' then coalesce(influencer_campaigns.campaign_id,
                 influencer_deliveries.campaign_id, nullif(classified.utm_campaign, ''))
            end::{{ text_type() }} as influencer_campaign_id,
            case when classified.channel = 'influencer'
                 then coalesce(influencer_deliveries.delivery_id, nullif(classified.utm_content, ''))
            end::{{ text_type() }} as delivery_id,
            case when classified.channel = 'social'
                 then coalesce(social_posts.post_id, nullif(classified.utm_content, '')) end::{{ text_type() }}
            as post_id,
            case when classified.channel = 'ads'
                 then coalesce(ad_campaigns.platform, nullif(classified.utm_source, ''), 'unknown')
            end::{{ text_type() }} as ad_platform,
            case when classified.channel = 'ads'
                 then coalesce(ad_campaigns.campaign_id, nullif(classified.utm_campaign, ''))
            end::{{ text_type() }} as ad_campaign_id
        from classified
        left join articles
            on articles.store_id = classified.store_id and articles.landing_path = classified.landing_path
        left join influencer_campaigns
            on influencer_campaigns.store_id = classified.store_id
           and influencer_campaigns.campaign_key = classified.utm_campaign
        left join influencer_deliveries
            on influencer_deliveries.store_id = classified.store_id
           and influencer_deliveries.delivery_key = classified.utm_content
        left join social_posts
            on social_posts.store_id = classified.store_id and social_posts.post_key = classified.utm_content
        left join ad_campaigns
            on ad_campaigns.store_id = classified.store_id and ad_campaigns.campaign_key = classified.utm_campaign
    ) as keyed
),

identities as (
    -- identity stitching: a browser linked to a customer joins that customer's journey
    select store_id, visitor_id, customer_id, loaded_at from {{ ref('stg_web__customer_identities') }}
),

current_rows as (
    -- every session with its local date, its key's resolution and its person
    select
        sessions.store_id::{{ text_type() }}                                                         as store_id,
        sessions.session_id::{{ text_type() }}                                                       as session_id,
        sessions.visitor_id::{{ text_type() }}                                                       as visitor_id,
        coalesce(sessions.customer_id, identities.customer_id)::{{ text_type() }}                    as customer_id,
        {{ person_key('sessions.customer_id', 'identities.customer_id', 'sessions.visitor_id',
                      "'session:' || sessions.session_id") }}::{{ text_type() }}                    as person_key,
        sessions.started_at::{{ tstz_type() }}                                                as started_at,
        {{ local_time('sessions.started_at', 'stores.timezone') }}::date                as session_date,
        sessions.duration_s::integer                                                    as duration_s,
        sessions.pageviews::integer                                                     as pageviews,
        sessions.bounced::boolean                                                       as bounced,
        sessions.landing_path::{{ text_type() }}                                                     as landing_path,
        sessions.referrer_host::{{ text_type() }}                                                    as referrer_host,
        sessions.utm_source::{{ text_type() }}                                                       as utm_source,
        sessions.utm_medium::{{ text_type() }}                                                       as utm_medium,
        sessions.utm_campaign::{{ text_type() }}                                                     as utm_campaign,
        sessions.utm_content::{{ text_type() }}                                                      as utm_content,
        resolved.channel::{{ text_type() }}                                                          as channel,
        resolved.article_id,
        resolved.influencer_campaign_id,
        resolved.delivery_id,
        resolved.post_id,
        resolved.ad_platform,
        resolved.ad_campaign_id,
        resolved.source,
        greatest(sessions.loaded_at, coalesce(identities.loaded_at, sessions.loaded_at))::{{ tstz_type() }}
            as loaded_at,
        false                                                                           as is_removed
    from {{ sessions }} as sessions
    inner join stores on stores.store_id = sessions.store_id
    -- every session has its key (a left join only keeps the planner from expecting none)
    left join resolved
        on resolved.store_id = sessions.store_id
       and resolved.utm_medium = coalesce(sessions.utm_medium, '')
       and resolved.utm_source = coalesce(sessions.utm_source, '')
       and resolved.referrer_host = coalesce(sessions.referrer_host, '')
       and resolved.utm_campaign = coalesce(sessions.utm_campaign, '')
       and resolved.utm_content = coalesce(sessions.utm_content, '')
       and resolved.landing_path = {{ session_lookup_path('sessions.landing_path') }}
    left join identities
        on identities.store_id = sessions.store_id and identities.visitor_id = sessions.visitor_id
)

select
    current_rows.*,
    {%- if incremental_batch() %}
    -- the day the session counted on before this rewrite (the metrics reopen both days)
    previous.session_date::date                                                         as previous_session_date,
    -- the person it belonged to before (a re-linked browser moves sessions between paths)
    previous.person_key::{{ text_type() }}                                                       as previous_person_key,
    {%- else %}
    null::date                                                                          as previous_session_date,
    null::{{ text_type() }}                                                                      as previous_person_key,
    {%- endif %}
    {{ run_stamp() }}                                                                   as processed_at,
    {%- if incremental_batch() %}
    -- the session counted before in the same day, channel, source and visitor: a re-delivery or a
    -- re-linked browser that changes no distinct-visitor count (fct_unified_metrics recounts the
    -- weeks and months of the other sessions only)
    coalesce(not previous.is_removed
             and previous.session_date = current_rows.session_date
             and previous.channel = current_rows.channel
             and previous.source = current_rows.source
             and previous.visitor_id is not distinct from current_rows.visitor_id, false)  as visit_key_unchanged
    {%- else %}
    false                                                                               as visit_key_unchanged
    {%- endif %}
from current_rows
{%- if incremental_batch() %}
left join {{ this }} as previous on previous.session_id = current_rows.session_id

union all

-- tombstones: sessions of the batch that are gone (quarantined, or their store is unknown)
select
    {%- for column in ['store_id', 'session_id', 'visitor_id', 'customer_id', 'person_key', 'started_at',
                       'session_date', 'duration_s', 'pageviews', 'bounced', 'landing_path', 'referrer_host',
                       'utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'channel', 'article_id',
                       'influencer_campaign_id', 'delivery_id', 'post_id', 'ad_platform', 'ad_campaign_id',
                       'source', 'loaded_at'] %}
    previous.{{ column }},
    {%- endfor %}
    true                                                                                as is_removed,
    previous.session_date                                                               as previous_session_date,
    previous.person_key                                                                 as previous_person_key,
    {{ run_stamp() }}                                                                   as processed_at,
    false                                                                               as visit_key_unchanged
from {{ this }} as previous
where previous.session_id in (select batch_keys.session_id from batch_keys)
  and not previous.is_removed
  and not exists (select 1 from current_rows where current_rows.session_id = previous.session_id)
{%- endif %}
