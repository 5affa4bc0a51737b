{{ config(materialized='view') }}
{{ checked_source('shop', 'orders', ['order_id'], [
    reference_check('store_id', ref('stg_shop__stores'), 'store_id'),
    missing_check('created_at'),
    enum_check('status', ['paid', 'fulfilled', 'refunded', 'partially_refunded', 'cancelled', 'pending']),
    negative_check(['subtotal', 'discount', 'shipping', 'tax', 'total', 'refunded_amount', 'cogs']),
    future_check('created_at'),
]) }}
