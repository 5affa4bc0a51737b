{{ config(materialized='view') }}
{{ checked_source('influencer', 'influencer_contracts', ['contract_id'], [
    reference_check('store_id', ref('stg_shop__stores'), 'store_id'),
    enum_check('status', ['pending', 'signed', 'completed', 'cancelled']),
    negative_check(['fee']),
]) }}
