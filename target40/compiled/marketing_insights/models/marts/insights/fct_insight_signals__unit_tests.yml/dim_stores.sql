
-- Fixture for dim_stores
select 
    
    cast('s1' as text)
 as "store_id", cast(null as text) as "store_name", cast(null as text) as "industry", cast(null as text) as "benchmark_industry", 
    
    cast('USD' as text)
 as "currency", cast(null as text) as "timezone", cast(null as text) as "status", cast(null as timestamp with time zone) as "created_at"