-- one row per influencer campaign with its store and name: the campaign's title for the layers above staging
-- (the `campaign:<id>` source of the influencer channel)
{{ config(materialized='view') }}

select
    campaigns.campaign_id::{{ text_type() }}     as campaign_id,
    campaigns.store_id::{{ text_type() }}        as store_id,
    campaigns.campaign_name::{{ text_type() }}   as campaign_name
from {{ ref('stg_influencer__campaigns') }} as campaigns
