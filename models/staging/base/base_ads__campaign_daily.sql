{{ config(materialized='view') }}
{{ checked_source('ads', 'ad_campaign_daily', ['lower(trim(platform))', 'campaign_id', 'date'], [
    reference_check('store_id', ref('stg_shop__stores'), 'store_id'),
    negative_check(['impressions', 'clicks', 'spend', 'platform_conversions']),
    future_check('date', is_date=true),
]) }}
