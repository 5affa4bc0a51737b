-- one row per (store, visitor): the customer a browser was linked to
select
    store_id::text                  as store_id,
    visitor_id::text                as visitor_id,
    customer_id::text               as customer_id,
    linked_at::timestamptz          as linked_at,
    _loaded_at::timestamptz         as loaded_at
from {{ ref('base_web__customer_identities') }}
where _dq_reason is null
