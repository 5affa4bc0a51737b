-- one row per delivery (post), placed in its store and campaign through its contract
with deliveries as (
    -- clean, latest delivery of each post record
    select * from {{ ref('base_influencer__deliveries') }} where _dq_reason is null
),

contracts as (
    -- deliveries carry no store: the contract says whose post it is
    select contract_id, store_id, campaign_id, influencer_id from {{ ref('stg_influencer__contracts') }}
)

select
    deliveries.delivery_id::text                    as delivery_id,
    deliveries.contract_id::text                    as contract_id,
    contracts.store_id::text                        as store_id,
    contracts.campaign_id::text                     as campaign_id,
    contracts.influencer_id::text                   as influencer_id,
    lower(trim(deliveries.deliverable_type))::text  as deliverable_type,
    lower(trim(deliveries.platform))::text          as platform,
    deliveries.post_date::date                      as post_date,
    lower(trim(deliveries.status))::text            as status,
    coalesce(deliveries.reach, 0)::bigint           as reach,
    coalesce(deliveries.impressions, 0)::bigint     as impressions,
    coalesce(deliveries.engagements, 0)::bigint     as engagements,
    coalesce(deliveries.clicks, 0)::bigint          as clicks,
    deliveries._loaded_at::timestamptz              as loaded_at
from deliveries
inner join contracts on contracts.contract_id = deliveries.contract_id
