
-- Fixture for int_unified_metrics_daily
select 
    
    cast('ny' as text)
 as "store_id", 
    
    cast('2024-01-31' as date)
 as "date", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('ad_campaign:google_ads:g1' as text)
 as "source", 
    
    cast(1 as bigint)
 as "sessions", 
    
    cast(3 as bigint)
 as "pageviews", 
    
    cast(1 as bigint)
 as "unique_visitors", 
    
    cast(120 as bigint)
 as "session_duration_s_sum", 
    
    cast(0 as bigint)
 as "bounced_sessions", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", 
    
    cast(0 as numeric(18,2))
 as "cost", 
    
    cast(0 as numeric(18,6))
 as "conversions", 
    
    cast(0 as numeric(18,2))
 as "revenue", 
    
    cast(0 as numeric(18,2))
 as "profit", 
    
    cast(0 as numeric(18,6))
 as "unattributed_conversions", 
    
    cast(0 as numeric(18,2))
 as "unattributed_revenue", 
    
    cast(0 as numeric(18,2))
 as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "attributed_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('ny' as text)
 as "store_id", 
    
    cast('2024-01-31' as date)
 as "date", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast(1 as bigint)
 as "sessions", 
    
    cast(3 as bigint)
 as "pageviews", 
    
    cast(1 as bigint)
 as "unique_visitors", 
    
    cast(120 as bigint)
 as "session_duration_s_sum", 
    
    cast(0 as bigint)
 as "bounced_sessions", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", 
    
    cast(0 as numeric(18,2))
 as "cost", 
    
    cast(0 as numeric(18,6))
 as "conversions", 
    
    cast(0 as numeric(18,2))
 as "revenue", 
    
    cast(0 as numeric(18,2))
 as "profit", 
    
    cast(0 as numeric(18,6))
 as "unattributed_conversions", 
    
    cast(0 as numeric(18,2))
 as "unattributed_revenue", 
    
    cast(0 as numeric(18,2))
 as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "attributed_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('ny' as text)
 as "store_id", 
    
    cast('2024-01-31' as date)
 as "date", 
    
    cast('overall' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast(1 as bigint)
 as "sessions", 
    
    cast(3 as bigint)
 as "pageviews", 
    
    cast(1 as bigint)
 as "unique_visitors", 
    
    cast(120 as bigint)
 as "session_duration_s_sum", 
    
    cast(0 as bigint)
 as "bounced_sessions", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", 
    
    cast(0 as numeric(18,2))
 as "cost", 
    
    cast(0 as numeric(18,6))
 as "conversions", 
    
    cast(0 as numeric(18,2))
 as "revenue", 
    
    cast(0 as numeric(18,2))
 as "profit", 
    
    cast(0 as numeric(18,6))
 as "unattributed_conversions", 
    
    cast(0 as numeric(18,2))
 as "unattributed_revenue", 
    
    cast(0 as numeric(18,2))
 as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "attributed_at", cast(null as timestamp with time zone) as "built_at"