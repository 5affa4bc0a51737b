
-- Fixture for int_attribution__conversions
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('oC2' as text)
 as "order_id", cast(null as text) as "customer_id", 
    
    cast('pC' as text)
 as "person_key", cast(null as text) as "visitor_id", 
    
    cast('2025-03-06 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-06' as date)
 as "converted_date", 
    
    cast(100 as numeric(14,2))
 as "revenue", 
    
    cast(50 as numeric(14,2))
 as "profit", 
    
    cast('2025-03-02 12:00:00+00' as timestamp with time zone)
 as "previous_order_at", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_converted_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('oB' as text)
 as "order_id", cast(null as text) as "customer_id", 
    
    cast('pB' as text)
 as "person_key", cast(null as text) as "visitor_id", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-10' as date)
 as "converted_date", 
    
    cast(100 as numeric(14,2))
 as "revenue", 
    
    cast(50 as numeric(14,2))
 as "profit", 
    
    cast(null as timestamp with time zone)
 as "previous_order_at", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_converted_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('oC1' as text)
 as "order_id", cast(null as text) as "customer_id", 
    
    cast('pC' as text)
 as "person_key", cast(null as text) as "visitor_id", 
    
    cast('2025-03-02 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-02' as date)
 as "converted_date", 
    
    cast(100 as numeric(14,2))
 as "revenue", 
    
    cast(50 as numeric(14,2))
 as "profit", 
    
    cast(null as timestamp with time zone)
 as "previous_order_at", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_converted_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('oA' as text)
 as "order_id", cast(null as text) as "customer_id", 
    
    cast('pA' as text)
 as "person_key", cast(null as text) as "visitor_id", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-10' as date)
 as "converted_date", 
    
    cast(100 as numeric(14,2))
 as "revenue", 
    
    cast(50 as numeric(14,2))
 as "profit", 
    
    cast(null as timestamp with time zone)
 as "previous_order_at", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_converted_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('oD' as text)
 as "order_id", cast(null as text) as "customer_id", 
    
    cast('pD' as text)
 as "person_key", cast(null as text) as "visitor_id", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-10' as date)
 as "converted_date", 
    
    cast(100 as numeric(14,2))
 as "revenue", 
    
    cast(50 as numeric(14,2))
 as "profit", 
    
    cast(null as timestamp with time zone)
 as "previous_order_at", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_converted_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('oE' as text)
 as "order_id", cast(null as text) as "customer_id", 
    
    cast('pE' as text)
 as "person_key", cast(null as text) as "visitor_id", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-10' as date)
 as "converted_date", 
    
    cast(100 as numeric(14,2))
 as "revenue", 
    
    cast(50 as numeric(14,2))
 as "profit", 
    
    cast(null as timestamp with time zone)
 as "previous_order_at", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_converted_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('oF' as text)
 as "order_id", cast(null as text) as "customer_id", 
    
    cast('pF' as text)
 as "person_key", cast(null as text) as "visitor_id", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-10' as date)
 as "converted_date", 
    
    cast(100 as numeric(14,2))
 as "revenue", 
    
    cast(50 as numeric(14,2))
 as "profit", 
    
    cast(null as timestamp with time zone)
 as "previous_order_at", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_converted_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('oG' as text)
 as "order_id", cast(null as text) as "customer_id", 
    
    cast('pG' as text)
 as "person_key", cast(null as text) as "visitor_id", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-10' as date)
 as "converted_date", 
    
    cast(100 as numeric(14,2))
 as "revenue", 
    
    cast(50 as numeric(14,2))
 as "profit", 
    
    cast(null as timestamp with time zone)
 as "previous_order_at", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_converted_date", cast(null as timestamp with time zone) as "processed_at"