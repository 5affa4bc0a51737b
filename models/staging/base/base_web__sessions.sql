{{ config(materialized='view') }}
{{ checked_source('web', 'web_sessions', ['session_id'], [
    reference_check('store_id', ref('stg_shop__stores'), 'store_id'),
    missing_check('started_at'),
    negative_check(['duration_s', 'pageviews']),
    future_check('started_at'),
]) }}
