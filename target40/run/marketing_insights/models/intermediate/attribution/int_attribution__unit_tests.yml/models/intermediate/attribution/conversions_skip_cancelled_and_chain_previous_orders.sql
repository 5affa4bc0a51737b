
    -- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "order_id","person_key","customer_id","previous_order_at","revenue","profit","converted_date", 'actual' as "actual_or_expected"
  from (
    -- one row per converting order of a known store: revenue, profit, store-local date, the person it
-- belongs to and that person's previous conversion (the journey boundary).
-- Incremental: orders (re)staged or quarantined since the last run, and orders of re-linked
-- browsers, are recomputed together with every other order of the people they belong to (before
-- and after), so previous_order_at stays exact; only rows whose values changed are rewritten,
-- and an order that stopped converting stays as a tombstone (is_removed) for the models after.

-- depends_on: __dbt__cte__quarantine_shop__orders
-- depends_on: __dbt__cte__quarantine_web__customer_identities

with

 __dbt__cte__quarantine_shop__orders as (

-- Fixture for quarantine_shop__orders
select cast(null as text) as "table_name", cast(null as text) as "row_key", cast(null as text) as "store_id", cast(null as text) as "reason", cast(null as text) as "details", cast(null as timestamp with time zone) as "raw_loaded_at", cast(null as timestamp with time zone) as "detected_at"
    limit 0
),  __dbt__cte__quarantine_web__customer_identities as (

-- Fixture for quarantine_web__customer_identities
select cast(null as text) as "table_name", cast(null as text) as "row_key", cast(null as text) as "store_id", cast(null as text) as "reason", cast(null as text) as "details", cast(null as timestamp with time zone) as "raw_loaded_at", cast(null as timestamp with time zone) as "detected_at"
    limit 0
),  __dbt__cte__stg_shop__orders as (

-- Fixture for stg_shop__orders
select 
    
    cast('o1' as text)
 as "order_id", 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('c1' as text)
 as "customer_id", 
    
    cast('v1' as text)
 as "visitor_id", 
    
    cast('2025-03-02 10:00:00+00' as timestamp with time zone)
 as "created_at", 
    
    cast('paid' as text)
 as "status", 
    
    cast(12 as numeric(14,2))
 as "subtotal", 
    
    cast(2 as numeric(14,2))
 as "discount", cast(null as numeric(14,2)) as "shipping", cast(null as numeric(14,2)) as "tax", cast(null as numeric(14,2)) as "total", 
    
    cast(0 as numeric(14,2))
 as "refunded_amount", 
    
    cast(5 as numeric(14,2))
 as "cogs", cast(null as text) as "promo_code", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
union all
select 
    
    cast('o2' as text)
 as "order_id", 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('c1' as text)
 as "customer_id", 
    
    cast('v1' as text)
 as "visitor_id", 
    
    cast('2025-03-04 10:00:00+00' as timestamp with time zone)
 as "created_at", 
    
    cast('cancelled' as text)
 as "status", 
    
    cast(10 as numeric(14,2))
 as "subtotal", 
    
    cast(0 as numeric(14,2))
 as "discount", cast(null as numeric(14,2)) as "shipping", cast(null as numeric(14,2)) as "tax", cast(null as numeric(14,2)) as "total", 
    
    cast(0 as numeric(14,2))
 as "refunded_amount", 
    
    cast(5 as numeric(14,2))
 as "cogs", cast(null as text) as "promo_code", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
union all
select 
    
    cast('o3' as text)
 as "order_id", 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('c1' as text)
 as "customer_id", 
    
    cast('v1' as text)
 as "visitor_id", 
    
    cast('2025-03-06 10:00:00+00' as timestamp with time zone)
 as "created_at", 
    
    cast('partially_refunded' as text)
 as "status", 
    
    cast(10 as numeric(14,2))
 as "subtotal", 
    
    cast(0 as numeric(14,2))
 as "discount", cast(null as numeric(14,2)) as "shipping", cast(null as numeric(14,2)) as "tax", cast(null as numeric(14,2)) as "total", 
    
    cast(4 as numeric(14,2))
 as "refunded_amount", 
    
    cast(null as numeric(14,2))
 as "cogs", cast(null as text) as "promo_code", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
union all
select 
    
    cast('guest' as text)
 as "order_id", 
    
    cast('s1' as text)
 as "store_id", 
    
    cast(null as text)
 as "customer_id", 
    
    cast('v5' as text)
 as "visitor_id", 
    
    cast('2025-03-06 11:00:00+00' as timestamp with time zone)
 as "created_at", 
    
    cast('pending' as text)
 as "status", 
    
    cast(10 as numeric(14,2))
 as "subtotal", 
    
    cast(0 as numeric(14,2))
 as "discount", cast(null as numeric(14,2)) as "shipping", cast(null as numeric(14,2)) as "tax", cast(null as numeric(14,2)) as "total", 
    
    cast(0 as numeric(14,2))
 as "refunded_amount", 
    
    cast(5 as numeric(14,2))
 as "cogs", cast(null as text) as "promo_code", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
union all
select 
    
    cast('guest2' as text)
 as "order_id", 
    
    cast('s1' as text)
 as "store_id", 
    
    cast(null as text)
 as "customer_id", 
    
    cast('v5' as text)
 as "visitor_id", 
    
    cast('2025-03-07 04:30:00+00' as timestamp with time zone)
 as "created_at", 
    
    cast('fulfilled' as text)
 as "status", 
    
    cast(10 as numeric(14,2))
 as "subtotal", 
    
    cast(0 as numeric(14,2))
 as "discount", cast(null as numeric(14,2)) as "shipping", cast(null as numeric(14,2)) as "tax", cast(null as numeric(14,2)) as "total", 
    
    cast(0 as numeric(14,2))
 as "refunded_amount", 
    
    cast(5 as numeric(14,2))
 as "cogs", cast(null as text) as "promo_code", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
union all
select 
    
    cast('orphan' as text)
 as "order_id", 
    
    cast('ghost' as text)
 as "store_id", 
    
    cast('c9' as text)
 as "customer_id", 
    
    cast(null as text)
 as "visitor_id", 
    
    cast('2025-03-07 10:00:00+00' as timestamp with time zone)
 as "created_at", 
    
    cast('paid' as text)
 as "status", 
    
    cast(10 as numeric(14,2))
 as "subtotal", 
    
    cast(0 as numeric(14,2))
 as "discount", cast(null as numeric(14,2)) as "shipping", cast(null as numeric(14,2)) as "tax", cast(null as numeric(14,2)) as "total", 
    
    cast(0 as numeric(14,2))
 as "refunded_amount", 
    
    cast(5 as numeric(14,2))
 as "cogs", cast(null as text) as "promo_code", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
),  __dbt__cte__stg_shop__stores as (

-- Fixture for stg_shop__stores
select 
    
    cast('s1' as text)
 as "store_id", cast(null as text) as "store_name", cast(null as text) as "industry", cast(null as text) as "currency", 
    
    cast('America/New_York' as text)
 as "timezone", cast(null as text) as "status", cast(null as timestamp with time zone) as "created_at", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
),  __dbt__cte__stg_web__customer_identities as (

-- Fixture for stg_web__customer_identities
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('v5' as text)
 as "visitor_id", 
    
    cast('c5' as text)
 as "customer_id", 
    
    cast('2025-03-01 10:00:00+00' as timestamp with time zone)
 as "linked_at", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
), orders as (
    -- staged orders to (re)compute
    select staged.*
    from __dbt__cte__stg_shop__orders as staged
),

people as (
    -- person key: the customer, else the customer the browser was linked to, else the browser,
    -- else the order alone (no journey)
    select
        orders.*,
        stores.timezone,
        coalesce(orders.customer_id, identities.customer_id)            as resolved_customer_id,
        coalesce(orders.customer_id, identities.customer_id, 'visitor:' || orders.visitor_id, 'order:' || orders.order_id) as person_key
    from orders
    inner join __dbt__cte__stg_shop__stores as stores on stores.store_id = orders.store_id
    left join __dbt__cte__stg_web__customer_identities as identities
        on identities.store_id = orders.store_id and identities.visitor_id = orders.visitor_id
    where (orders.status not in ('cancelled', 'pending'))
),

current_rows as (
    select
        people.store_id::text                                                   as store_id,
        people.order_id::text                                                   as order_id,
        people.resolved_customer_id::text                                       as customer_id,
        people.person_key::text                                                 as person_key,
        people.visitor_id::text                                                 as visitor_id,
        people.created_at::timestamptz                                          as converted_at,
        (people.created_at at time zone people.timezone)::date                  as converted_date,
        (people.subtotal - people.discount - people.refunded_amount)::numeric(14,2)                            as revenue,
        (people.subtotal - people.discount - people.refunded_amount - coalesce(people.cogs, 0))::numeric(14,2)                             as profit,
        -- the journey boundary: touches at or before the previous conversion credit that one
        lag(people.created_at) over (
            partition by people.store_id, people.person_key order by people.created_at, people.order_id
        )::timestamptz                                                          as previous_order_at,
        people.loaded_at::timestamptz                                           as loaded_at,
        false                                                                   as is_removed
    from people
)

select current_rows.*, null::date as previous_converted_date, '2026-12-06T12:30:54.482240+00:00'::timestamptz as processed_at
from current_rows
  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "order_id", "person_key", "customer_id", "previous_order_at", "revenue", "profit", "converted_date", 'expected' as "actual_or_expected"
  from (
    select 
    
    cast('o3' as text)
 as "order_id", 
    
    cast('c1' as text)
 as "person_key", 
    
    cast('c1' as text)
 as "customer_id", 
    
    cast('2025-03-02 10:00:00+00' as timestamp with time zone)
 as "previous_order_at", 
    
    cast(6 as numeric(14,2))
 as "revenue", 
    
    cast(6 as numeric(14,2))
 as "profit", 
    
    cast('2025-03-06' as date)
 as "converted_date"
union all
select 
    
    cast('o1' as text)
 as "order_id", 
    
    cast('c1' as text)
 as "person_key", 
    
    cast('c1' as text)
 as "customer_id", 
    
    cast(null as timestamp with time zone)
 as "previous_order_at", 
    
    cast(10 as numeric(14,2))
 as "revenue", 
    
    cast(5 as numeric(14,2))
 as "profit", 
    
    cast('2025-03-02' as date)
 as "converted_date"
union all
select 
    
    cast('guest2' as text)
 as "order_id", 
    
    cast('c5' as text)
 as "person_key", 
    
    cast('c5' as text)
 as "customer_id", 
    
    cast(null as timestamp with time zone)
 as "previous_order_at", 
    
    cast(10 as numeric(14,2))
 as "revenue", 
    
    cast(5 as numeric(14,2))
 as "profit", 
    
    cast('2025-03-06' as date)
 as "converted_date"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected