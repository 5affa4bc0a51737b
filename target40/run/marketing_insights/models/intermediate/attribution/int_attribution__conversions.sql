
      
  
    

  create  table "gen40"."intermediate"."int_attribution__conversions__dbt_tmp"
  
  
    as
  
  (
    -- one row per converting order of a known store: revenue, profit, store-local date, the person it
-- belongs to and that person's previous conversion (the journey boundary).
-- Incremental: orders (re)staged or quarantined since the last run, and orders of re-linked
-- browsers, are recomputed together with every other order of the people they belong to (before
-- and after), so previous_order_at stays exact; only rows whose values changed are rewritten,
-- and an order that stopped converting stays as a tombstone (is_removed) for the models after.

-- depends_on: "gen40"."staging"."quarantine_shop__orders"
-- depends_on: "gen40"."staging"."quarantine_web__customer_identities"

with

orders as (
    -- staged orders to (re)compute
    select staged.*
    from "gen40"."staging"."stg_shop__orders" as staged
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
    inner join "gen40"."staging"."stg_shop__stores" as stores on stores.store_id = orders.store_id
    left join "gen40"."staging"."stg_web__customer_identities" as identities
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
  );
  
  