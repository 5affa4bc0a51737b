-- one row per influencer delivery (post) of a known contract, placed in its store and campaign
{{ config(materialized='view') }}

with deliveries as (
    select * from {{ ref('stg_influencer__deliveries') }}
),

contracts as (
    -- deliveries carry no store: the contract says whose post it is
    select contract_id, store_id, campaign_id, influencer_id from {{ ref('stg_influencer__contracts') }}
)

select
    deliveries.delivery_id::text        as delivery_id,
    deliveries.contract_id::text        as contract_id,
    contracts.store_id::text            as store_id,
    contracts.campaign_id::text         as campaign_id,
    contracts.influencer_id::text       as influencer_id,
    deliveries.deliverable_type::text   as deliverable_type,
    deliveries.platform::text           as platform,
    deliveries.post_date::date          as post_date,
    deliveries.status::text             as status,
    deliveries.reach::bigint            as reach,
    deliveries.impressions::bigint      as impressions,
    deliveries.engagements::bigint      as engagements,
    deliveries.clicks::bigint           as clicks,
    deliveries.loaded_at::timestamptz   as loaded_at
from deliveries
inner join contracts on contracts.contract_id = deliveries.contract_id
