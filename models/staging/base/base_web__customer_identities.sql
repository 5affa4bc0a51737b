{{ config(materialized='view') }}
{{ checked_source('web', 'customer_identities', ['store_id', 'visitor_id'], [
    reference_check('store_id', ref('stg_shop__stores'), 'store_id'),
    missing_check('customer_id'),
    future_check('linked_at'),
]) }}
