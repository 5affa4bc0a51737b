
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