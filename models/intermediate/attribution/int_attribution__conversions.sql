-- converting orders with the person they belong to and that person's previous conversion
{{ config(indexes=[{'columns': ['store_id', 'person_key']}, {'columns': ['order_id'], 'unique': true}]) }}

with orders as (
    -- cancelled and pending orders are not conversions (contract)
    select * from {{ ref('stg_shop__orders') }} where is_conversion
),

identities as (
    -- a guest order placed from a linked browser still belongs to that customer
    select store_id, visitor_id, customer_id from {{ ref('stg_web__customer_identities') }}
),

people as (
    -- person key: the customer, else the unlinked browser, else the order alone (no journey)
    select
        orders.*,
        coalesce(orders.customer_id, identities.customer_id) as resolved_customer_id,
        coalesce(orders.customer_id, identities.customer_id, 'visitor:' || orders.visitor_id,
                 'order:' || orders.order_id) as person_key
    from orders
    left join identities
        on identities.store_id = orders.store_id and identities.visitor_id = orders.visitor_id
)

select
    store_id,
    order_id,
    resolved_customer_id                                         as customer_id,
    person_key,
    created_at                                                   as converted_at,
    order_date                                                   as converted_date,
    revenue,
    profit,
    -- the journey boundary: touches at or before the previous conversion credit that one
    lag(created_at) over (partition by store_id, person_key order by created_at, order_id) as previous_order_at,
    loaded_at
from people
