{{ config(materialized='view') }}
{{ checked_source('influencer', 'influencer_campaigns', ['campaign_id'], [
    reference_check('store_id', ref('stg_shop__stores'), 'store_id'),
    enum_check('status', ['draft', 'active', 'completed', 'cancelled']),
    negative_check(['budget_allocated']),
]) }}
