
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