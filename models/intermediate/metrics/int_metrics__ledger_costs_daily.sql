-- ledger cost family: marketing_spend rows per local day, channel and the `<type>:<id>` source they can be tied to
{{ config(materialized='view') }}

with ledger as (
    -- every clean ledger row; refunds/credits are negative and stay
    select * from {{ ref('stg_finance__marketing_spend') }}
),

contracts as (
    -- a contract's cost belongs to its influencer campaign
    select contract_id, campaign_id from {{ ref('stg_influencer__contracts') }}
),

influencer_campaigns as (
    -- canonical campaign id, matched case-insensitively like stg_web__sessions does
    select store_id, lower(campaign_id) as campaign_key, min(campaign_id) as campaign_id
    from {{ ref('stg_influencer__campaigns') }}
    group by store_id, lower(campaign_id)
),

ad_campaigns as (
    -- the ads platform of a campaign id (the ledger only carries the id); same rule as stg_web__sessions
    select store_id, lower(campaign_id) as campaign_key, min(campaign_id) as campaign_id, min(platform) as platform
    from {{ ref('stg_ads__campaign_daily') }}
    group by store_id, lower(campaign_id)
),

sourced as (
    -- source rules (DECISIONLOG "cost"): article -> article:<id> (seo); contract -> campaign:<campaign>
    -- (influencer); campaign -> campaign:<id> (influencer) or ad_campaign:<platform>:<id> (ads, when the
    -- id is a known ads campaign of the store); everything else (tool, other, unresolvable) -> unassigned
    select
        ledger.store_id,
        ledger.spend_date,
        ledger.channel,
        case
            when ledger.source_id is null then 'unassigned'
            when ledger.source_type = 'article' and ledger.channel = 'seo'
                then 'article:' || ledger.source_id
            when ledger.source_type = 'contract' and ledger.channel = 'influencer' and contracts.campaign_id is not null
                then 'campaign:' || contracts.campaign_id
            when ledger.source_type = 'campaign' and ledger.channel = 'influencer'
                then 'campaign:' || coalesce(influencer_campaigns.campaign_id, ledger.source_id)
            when ledger.source_type = 'campaign' and ledger.channel = 'ads' and ad_campaigns.campaign_id is not null
                then 'ad_campaign:' || ad_campaigns.platform || ':' || ad_campaigns.campaign_id
            else 'unassigned'
        end as source,
        ledger.amount,
        ledger.loaded_at
    from ledger
    left join contracts
        on ledger.source_type = 'contract' and contracts.contract_id = ledger.source_id
    left join influencer_campaigns
        on ledger.source_type = 'campaign' and influencer_campaigns.store_id = ledger.store_id
       and influencer_campaigns.campaign_key = lower(ledger.source_id)
    left join ad_campaigns
        on ledger.source_type = 'campaign' and ad_campaigns.store_id = ledger.store_id
       and ad_campaigns.campaign_key = lower(ledger.source_id)
)

select
    store_id::{{ text_type() }}                                          as store_id,
    spend_date::date                                        as date,
    channel::{{ text_type() }}                                           as channel,
    source::{{ text_type() }}                                            as source,
    null::bigint                                            as sessions,
    null::bigint                                            as pageviews,
    null::bigint                                            as unique_visitors,
    null::bigint                                            as session_duration_s_sum,
    null::bigint                                            as bounced_sessions,
    null::bigint                                            as impressions,
    null::bigint                                            as clicks,
    null::bigint                                            as engagements,
    sum(amount)::numeric(18,2)                              as cost,
    null::numeric(24,12)                                    as conversions,
    null::numeric(18,2)                                     as revenue,
    null::numeric(18,2)                                     as profit,
    max(loaded_at)::{{ tstz_type() }}                             as loaded_at,
    null::{{ tstz_type() }}                                       as attributed_at
from sourced
group by store_id, spend_date, channel, source
