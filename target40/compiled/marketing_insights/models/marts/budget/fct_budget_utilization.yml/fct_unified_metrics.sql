
-- Fixture for fct_unified_metrics
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('overall' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-01-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('overall' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-03-15' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", 
    
    cast('2024-03-16 06:00:00+00' as timestamp with time zone)
 as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('overall' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('daily' as text)
 as "period", 
    
    cast('2024-04-20' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", 
    
    cast('2024-03-16 06:00:00+00' as timestamp with time zone)
 as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-01-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(950.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-01-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(89.99 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('social' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-01-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(220.01 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-02-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(900.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-02-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(110.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('social' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-02-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(179.99 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-03-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(500.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-03-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(60.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('social' as text)
 as "channel", 
    
    cast('all' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-03-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(50.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('ad_campaign:google_ads:g1' as text)
 as "source", 
    
    cast('monthly' as text)
 as "period", 
    
    cast('2024-03-01' as date)
 as "period_start", cast(null as bigint) as "sessions", cast(null as bigint) as "pageviews", cast(null as bigint) as "unique_visitors", cast(null as numeric(12,2)) as "avg_session_duration_s", cast(null as numeric(7,4)) as "bounce_rate", cast(null as bigint) as "impressions", cast(null as bigint) as "clicks", cast(null as bigint) as "engagements", cast(null as numeric(20,4)) as "engagement_rate", cast(null as numeric(18,6)) as "conversions", cast(null as numeric(18,2)) as "revenue", cast(null as numeric(18,2)) as "profit", 
    
    cast(500.0 as numeric(18,2))
 as "cost", cast(null as numeric(20,4)) as "conversion_rate", cast(null as numeric(18,4)) as "cpc", cast(null as numeric(20,4)) as "cpa", cast(null as numeric(20,4)) as "roas", cast(null as numeric(20,4)) as "roi", cast(null as date) as "period_end", cast(null as bigint) as "session_duration_s_sum", cast(null as bigint) as "bounced_sessions", cast(null as numeric(18,6)) as "unattributed_conversions", cast(null as numeric(18,2)) as "unattributed_revenue", cast(null as numeric(18,2)) as "unattributed_profit", cast(null as timestamp with time zone) as "loaded_at", cast(null as timestamp with time zone) as "built_at"