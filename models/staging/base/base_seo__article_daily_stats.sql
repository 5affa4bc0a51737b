{{ config(materialized='view') }}
{{ checked_source('seo', 'article_daily_stats', ['article_id', 'date'], [
    reference_check('store_id', ref('stg_shop__stores'), 'store_id'),
    negative_check(['impressions', 'organic_clicks', 'avg_position', 'pageviews', 'unique_visitors', 'avg_time_on_page_s', 'bounce_rate']),
    ['out_of_range', 'bounce_rate > 1', dq_value('bounce_rate') ~ " || ' is above 1 (it is a fraction)'"],
    future_check('date', is_date=true),
]) }}
