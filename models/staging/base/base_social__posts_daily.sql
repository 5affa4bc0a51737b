{{ config(materialized='view') }}
{{ checked_source('social', 'social_posts_daily', ['post_id', 'date'], [
    reference_check('store_id', ref('stg_shop__stores'), 'store_id'),
    negative_check(['impressions', 'engagements', 'clicks', 'spend']),
    future_check('date', is_date=true),
]) }}
