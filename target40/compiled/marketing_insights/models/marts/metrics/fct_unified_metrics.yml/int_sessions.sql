
-- Fixture for int_sessions
select 
    
    cast('ny' as text)
 as "store_id", 
    
    cast('x1' as text)
 as "session_id", 
    
    cast('v1' as text)
 as "visitor_id", cast(null as text) as "customer_id", cast(null as text) as "person_key", 
    
    cast('2024-02-01 04:30:00+00' as timestamp with time zone)
 as "started_at", 
    
    cast('2024-01-31' as date)
 as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('ads' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('ad_campaign:google_ads:g1' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"