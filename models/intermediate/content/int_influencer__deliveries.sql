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
    deliveries.delivery_id::{{ text_type() }}        as delivery_id,
    deliveries.contract_id::{{ text_type() }}        as contract_id,
    contracts.store_id::{{ text_type() }}            as store_id,
    contracts.campaign_id::{{ text_type() }}         as campaign_id,
    contracts.influencer_id::{{ text_type() }}       as influencer_id,
    deliveries.deliverable_type::{{ text_type() }}   as deliverable_type,
    deliveries.platform::{{ text_type() }}           as platform,
    deliveries.post_date::date          as post_date,
    deliveries.status::{{ text_type() }}             as status,
    deliveries.reach::bigint            as reach,
    deliveries.impressions::bigint      as impressions,
    deliveries.engagements::bigint      as engagements,
    deliveries.clicks::bigint           as clicks,
    deliveries.loaded_at::{{ tstz_type() }}   as loaded_at
from deliveries
inner join contracts on contracts.contract_id = deliveries.contract_id
