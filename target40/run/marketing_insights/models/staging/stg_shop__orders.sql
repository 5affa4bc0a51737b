
      
  
    

  create  table "gen40"."staging"."stg_shop__orders__dbt_tmp"
  
  
    as
  
  (
    
-- one row per order as the shop last delivered it (revenue, profit and the local date are
-- business rules of intermediate: int_attribution__conversions)
select
    order_id::text                                  as order_id,
    store_id::text                                  as store_id,
    nullif(trim(customer_id), '')::text             as customer_id,
    nullif(trim(visitor_id), '')::text              as visitor_id,
    created_at::timestamptz                         as created_at,
    lower(trim(status))::text                       as status,
    coalesce(subtotal, 0)::numeric(14,2)            as subtotal,
    coalesce(discount, 0)::numeric(14,2)            as discount,
    coalesce(shipping, 0)::numeric(14,2)            as shipping,
    coalesce(tax, 0)::numeric(14,2)                 as tax,
    coalesce(total, 0)::numeric(14,2)               as total,
    coalesce(refunded_amount, 0)::numeric(14,2)     as refunded_amount,
    cogs::numeric(14,2)                             as cogs,
    nullif(trim(promo_code), '')::text              as promo_code,
    _loaded_at::timestamptz                         as loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz as staged_at
from (
    -- the deliveries this run judges (macros/staging.sql); the latest of each key wins
    
    with duplicated_keys as materialized (
        -- keys delivered more than once: only their deliveries are ranked (a narrow aggregate of
        -- the key instead of a sort of every whole row)
        select order_id
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."orders" as raw_row) as source_rows
        where not (order_id is null)
        group by order_id
        having count(*) > 1
    ),

    superseded as materialized (
        -- every delivery of those keys but the latest; ctid breaks _loaded_at ties (written last wins)
        select _row_position
        from (
            select _row_position,
                   row_number() over (partition by order_id
                                      order by _loaded_at desc nulls last, _row_position desc) as version_rank
            from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."orders" as raw_row) as source_rows
            where (order_id) in (select * from duplicated_keys)
        ) as ranked
        where version_rank > 1
    ),

    flagged as (
        -- each delivery with its key text and whether a later delivery replaced it
        select
            source_rows.*,
            coalesce(order_id::text, '<null>') as _row_key,
            (order_id is null) as _is_keyless,
            -- a hashed lookup of the few superseded deliveries (needs a work_mem that holds them:
            -- macros/session_settings.sql), not a join that hashes every raw row
            source_rows._row_position in (select _row_position from superseded) as _is_superseded
        from (select raw_row.*, raw_row.ctid as _row_position from "gen40"."raw"."orders" as raw_row) as source_rows
    )

    select
        flagged.*,
        case when _is_keyless then null when _is_superseded then 2 else 1 end as _version_rank,
        case
            when _is_keyless then 'null_key'
            when _is_superseded then 'duplicate'
            when created_at is null then 'missing_value'
            when coalesce(lower(trim(status)), '') not in ('paid', 'fulfilled', 'refunded', 'partially_refunded', 'cancelled', 'pending') then 'unknown_enum'
            when (subtotal < 0 or discount < 0 or shipping < 0 or tax < 0 or total < 0 or refunded_amount < 0 or cogs < 0) then 'negative_value'
            when created_at > (least(coalesce(_loaded_at, '2026-12-06T12:30:54.482240+00:00'::timestamptz), '2026-12-06T12:30:54.482240+00:00'::timestamptz)
     + interval '24 hours') then 'future_timestamp'
        end as _dq_reason,
        case
            when _is_keyless then 'a key column (order_id) is null'
            when _is_superseded then 'superseded by a later delivery of the same key'
            when created_at is null then 'created_at is null'
            when coalesce(lower(trim(status)), '') not in ('paid', 'fulfilled', 'refunded', 'partially_refunded', 'cancelled', 'pending') then 'status = ' || coalesce(quote_literal(status::text), 'null') || ' is not one of paid, fulfilled, refunded, partially_refunded, cancelled, pending'
            when (subtotal < 0 or discount < 0 or shipping < 0 or tax < 0 or total < 0 or refunded_amount < 0 or cogs < 0) then (case when subtotal < 0 then 'subtotal = ' || coalesce(quote_literal(subtotal::text), 'null') when discount < 0 then 'discount = ' || coalesce(quote_literal(discount::text), 'null') when shipping < 0 then 'shipping = ' || coalesce(quote_literal(shipping::text), 'null') when tax < 0 then 'tax = ' || coalesce(quote_literal(tax::text), 'null') when total < 0 then 'total = ' || coalesce(quote_literal(total::text), 'null') when refunded_amount < 0 then 'refunded_amount = ' || coalesce(quote_literal(refunded_amount::text), 'null') when cogs < 0 then 'cogs = ' || coalesce(quote_literal(cogs::text), 'null') end) || ' is negative'
            when created_at > (least(coalesce(_loaded_at, '2026-12-06T12:30:54.482240+00:00'::timestamptz), '2026-12-06T12:30:54.482240+00:00'::timestamptz)
     + interval '24 hours') then 'created_at = ' || coalesce(quote_literal(created_at::text), 'null') || ' is in the future'
        end as _dq_details
    from flagged

) as versions
where _version_rank = 1 and _dq_reason is null
  );
  
  