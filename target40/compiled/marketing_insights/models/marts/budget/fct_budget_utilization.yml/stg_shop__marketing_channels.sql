
-- Fixture for stg_shop__marketing_channels
select 
    
    cast('m1' as text)
 as "channel_id", 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", cast(null as text) as "channel_name", 
    
    cast(1000.0 as numeric(14,2))
 as "monthly_budget", 
    
    cast('active' as text)
 as "status", cast(null as timestamp with time zone) as "created_at", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
union all
select 
    
    cast('m2' as text)
 as "channel_id", 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", cast(null as text) as "channel_name", 
    
    cast(500.0 as numeric(14,2))
 as "monthly_budget", 
    
    cast('paused' as text)
 as "status", cast(null as timestamp with time zone) as "created_at", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
union all
select 
    
    cast('m3' as text)
 as "channel_id", 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('seo' as text)
 as "channel", cast(null as text) as "channel_name", 
    
    cast(100.0 as numeric(14,2))
 as "monthly_budget", 
    
    cast('active' as text)
 as "status", cast(null as timestamp with time zone) as "created_at", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"
union all
select 
    
    cast('m4' as text)
 as "channel_id", 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('social' as text)
 as "channel", cast(null as text) as "channel_name", 
    
    cast(200.0 as numeric(14,2))
 as "monthly_budget", 
    
    cast('active' as text)
 as "status", cast(null as timestamp with time zone) as "created_at", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "staged_at"