{{ config(materialized='view') }}
{#- a delivery carries no store_id: it reaches its store through its contract -#}
{{ checked_source('influencer', 'influencer_deliveries', ['delivery_id'], [
    reference_check('contract_id', ref('stg_influencer__contracts'), 'contract_id'),
    enum_check('deliverable_type', ['post', 'story', 'reel', 'video']),
    enum_check('status', ['planned', 'posted', 'verified', 'missed']),
    negative_check(['reach', 'impressions', 'engagements', 'clicks']),
    future_check('post_date', is_date=true),
]) }}
