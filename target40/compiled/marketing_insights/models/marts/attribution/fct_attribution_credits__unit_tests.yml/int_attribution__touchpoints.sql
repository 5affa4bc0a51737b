
-- Fixture for int_attribution__touchpoints
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('o9' as text)
 as "order_id", 
    
    cast('c9' as text)
 as "customer_id", cast(null as text) as "person_key", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-10' as date)
 as "converted_date", 
    
    cast(55.5 as numeric(14,2))
 as "revenue", 
    
    cast(20.0 as numeric(14,2))
 as "profit", 
    
    cast(null as text)
 as "session_id", 
    
    cast('unattributed' as text)
 as "channel", 
    
    cast('unassigned' as text)
 as "source", 
    
    cast(null as timestamp with time zone)
 as "touched_at", 
    
    cast(True as boolean)
 as "is_credited", 
    
    cast(null as integer)
 as "touch_position", 
    
    cast(0 as integer)
 as "touch_count", 
    
    cast(null as double precision)
 as "age_days", cast(null as timestamp with time zone) as "processed_at"