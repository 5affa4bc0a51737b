{{ config(materialized='view') }}
{{ checked_source('shop', 'marketing_channels', ['channel_id'], [
    reference_check('store_id', ref('stg_shop__stores'), 'store_id'),
    enum_check('type', ['seo', 'influencer', 'social', 'ads', 'email']),
    enum_check('status', ['active', 'paused', 'archived']),
    negative_check(['monthly_budget']),
]) }}
