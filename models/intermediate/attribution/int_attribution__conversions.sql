-- one row per converting order of a known store: revenue, profit, store-local date, the person it
-- belongs to and that person's previous conversion (the journey boundary).
-- Incremental: orders (re)staged or quarantined since the last run, and orders of re-linked
-- browsers, are recomputed together with every other order of the people they belong to (before
-- and after), so previous_order_at stays exact; only rows whose values changed are rewritten,
-- and an order that stopped converting stays as a tombstone (is_removed) for the models after.
{{ config(
    materialized='incremental',
    partition_by=spark_store_partitions(),
    unique_key='order_id',
    incremental_strategy=incremental_strategy_for('delete+insert'),
    on_schema_change='fail',
    indexes=[
        {'columns': ['order_id'], 'unique': true},
        {'columns': ['store_id', 'person_key', 'converted_at']},
        {'columns': ['store_id', 'visitor_id']},
        {'columns': ['processed_at'], 'type': 'brin'},
    ],
    post_hook="{{ run_watermark_post_hook() }}",
) }}
-- depends_on: {{ ref('quarantine_shop__orders') }}
-- depends_on: {{ ref('quarantine_web__customer_identities') }}

with
{%- if incremental_batch() %}
{%- set since = model_watermark() %}
changed_visitors as (
    -- browsers whose identity link was (re)delivered or withdrawn since the last run
    {{ relinked_visitors_since(since) }}
),

changed_orders as (
    -- orders (re)delivered or quarantined since the last run, and guest orders of re-linked browsers
    {{ restaged_keys_since('orders', since) }}
    union
    select built.order_id
    from {{ this }} as built
    inner join changed_visitors
        on changed_visitors.store_id = built.store_id and changed_visitors.visitor_id = built.visitor_id
),

recomputed_orders as (
    -- the changed orders and every other order of the people they belong to, before and after
    -- the change (their previous_order_at may move)
    select changed_orders.order_id from changed_orders
    union
    select built.order_id
    from {{ this }} as built
    where (built.store_id, built.person_key) in (
        select previous_built.store_id, previous_built.person_key
        from {{ this }} as previous_built
        where previous_built.order_id in (select changed_orders.order_id from changed_orders)
        union
        select
            staged.store_id,
            {{ person_key('staged.customer_id', 'identities.customer_id', 'staged.visitor_id',
                          "'order:' || staged.order_id") }}
        from {{ ref('stg_shop__orders') }} as staged
        left join {{ ref('stg_web__customer_identities') }} as identities
            on identities.store_id = staged.store_id and identities.visitor_id = staged.visitor_id
        where staged.order_id in (select changed_orders.order_id from changed_orders))
),
{%- endif %}

orders as (
    -- staged orders to (re)compute
    select staged.*
    from {{ ref('stg_shop__orders') }} as staged
    {%- if incremental_batch() %}
    where staged.order_id in (select recomputed_orders.order_id from recomputed_orders)
    {%- endif %}
),

people as (
    -- person key: the customer, else the customer the browser was linked to, else the browser,
    -- else the order alone (no journey)
    select
        orders.*,
        stores.timezone,
        coalesce(orders.customer_id, identities.customer_id)            as resolved_customer_id,
        {{ person_key('orders.customer_id', 'identities.customer_id', 'orders.visitor_id',
                      "'order:' || orders.order_id") }} as person_key
    from orders
    inner join {{ ref('stg_shop__stores') }} as stores on stores.store_id = orders.store_id
    left join {{ ref('stg_web__customer_identities') }} as identities
        on identities.store_id = orders.store_id and identities.visitor_id = orders.visitor_id
    where {{ order_is_conversion('orders') }}
),

current_rows as (
    select
        people.store_id::{{ text_type() }}                                                   as store_id,
        people.order_id::{{ text_type() }}                                                   as order_id,
        people.resolved_customer_id::{{ text_type() }}                                       as customer_id,
        people.person_key::{{ text_type() }}                                                 as person_key,
        people.visitor_id::{{ text_type() }}                                                 as visitor_id,
        people.created_at::{{ tstz_type() }}                                          as converted_at,
        {{ local_time('people.created_at', 'people.timezone') }}::date          as converted_date,
        {{ order_revenue('people') }}::numeric(14,2)                            as revenue,
        {{ order_profit('people') }}::numeric(14,2)                             as profit,
        -- the journey boundary: touches at or before the previous conversion credit that one
        lag(people.created_at) over (
            partition by people.store_id, people.person_key order by people.created_at, people.order_id
        )::{{ tstz_type() }}                                                          as previous_order_at,
        people.loaded_at::{{ tstz_type() }}                                           as loaded_at,
        false                                                                   as is_removed
    from people
)

{%- if incremental_batch() %}
{%- set compared = ['store_id', 'customer_id', 'person_key', 'visitor_id', 'converted_at', 'converted_date',
                    'revenue', 'profit', 'previous_order_at', 'loaded_at', 'is_removed'] %}

select current_rows.*, previous.converted_date as previous_converted_date, previous.person_key as previous_person_key,
       {{ run_stamp() }} as processed_at
from current_rows
left join {{ this }} as previous on previous.order_id = current_rows.order_id
-- an order recomputed only because a sibling changed keeps its row when nothing moved
where previous.order_id is null
   or ({% for c in compared %}
          current_rows.{{ c }}{% if not loop.last %},{% endif %}{% endfor %}
      ) is distinct from ({% for c in compared %}
          previous.{{ c }}{% if not loop.last %},{% endif %}{% endfor %}
      )

union all

-- tombstones: orders of the batch that no longer convert (cancelled, quarantined, unknown store)
select
    {%- for column in ['store_id', 'order_id', 'customer_id', 'person_key', 'visitor_id', 'converted_at',
                       'converted_date', 'revenue', 'profit', 'previous_order_at', 'loaded_at'] %}
    previous.{{ column }},
    {%- endfor %}
    true                                as is_removed,
    previous.converted_date             as previous_converted_date,
    previous.person_key                 as previous_person_key,
    {{ run_stamp() }}                   as processed_at
from {{ this }} as previous
where previous.order_id in (select changed_orders.order_id from changed_orders)
  and not previous.is_removed
  and not exists (select 1 from current_rows where current_rows.order_id = previous.order_id)
{%- else %}

select current_rows.*, null::date as previous_converted_date, null::{{ text_type() }} as previous_person_key,
       {{ run_stamp() }} as processed_at
from current_rows
{%- endif %}
