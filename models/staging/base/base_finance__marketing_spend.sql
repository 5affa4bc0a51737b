{{ config(materialized='view') }}
{#- negative amounts are legitimate here: refunds and credits -#}
{{ checked_source('finance', 'marketing_spend', ['spend_id'], [
    reference_check('store_id', ref('stg_shop__stores'), 'store_id'),
    enum_check('channel', ['seo', 'influencer', 'social', 'ads', 'email']),
    enum_check('source_type', ['article', 'contract', 'campaign', 'tool', 'other']),
    missing_check('spend_date'),
    future_check('spend_date', is_date=true),
]) }}
