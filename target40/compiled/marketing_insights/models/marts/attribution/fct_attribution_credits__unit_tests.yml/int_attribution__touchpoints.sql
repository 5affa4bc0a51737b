
-- Fixture for int_attribution__touchpoints
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('o5' as text)
 as "order_id", 
    
    cast('c5' as text)
 as "customer_id", cast(null as text) as "person_key", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-10' as date)
 as "converted_date", 
    
    cast(100.0 as numeric(14,2))
 as "revenue", 
    
    cast(40.0 as numeric(14,2))
 as "profit", 
    
    cast('t1' as text)
 as "session_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('article:a1' as text)
 as "source", 
    
    cast('2025-03-01 12:00:00+00' as timestamp with time zone)
 as "touched_at", 
    
    cast(True as boolean)
 as "is_credited", 
    
    cast(1 as integer)
 as "touch_position", 
    
    cast(5 as integer)
 as "touch_count", 
    
    cast(9.0 as double precision)
 as "age_days", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('o5' as text)
 as "order_id", 
    
    cast('c5' as text)
 as "customer_id", cast(null as text) as "person_key", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-10' as date)
 as "converted_date", 
    
    cast(100.0 as numeric(14,2))
 as "revenue", 
    
    cast(40.0 as numeric(14,2))
 as "profit", 
    
    cast('t2' as text)
 as "session_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('ad_campaign:google_ads:g1' as text)
 as "source", 
    
    cast('2025-03-03 00:00:00+00' as timestamp with time zone)
 as "touched_at", 
    
    cast(True as boolean)
 as "is_credited", 
    
    cast(2 as integer)
 as "touch_position", 
    
    cast(5 as integer)
 as "touch_count", 
    
    cast(7.5 as double precision)
 as "age_days", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('o5' as text)
 as "order_id", 
    
    cast('c5' as text)
 as "customer_id", cast(null as text) as "person_key", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-10' as date)
 as "converted_date", 
    
    cast(100.0 as numeric(14,2))
 as "revenue", 
    
    cast(40.0 as numeric(14,2))
 as "profit", 
    
    cast('t3' as text)
 as "session_id", 
    
    cast('social' as text)
 as "channel", 
    
    cast('post:p1' as text)
 as "source", 
    
    cast('2025-03-06 06:00:00+00' as timestamp with time zone)
 as "touched_at", 
    
    cast(True as boolean)
 as "is_credited", 
    
    cast(3 as integer)
 as "touch_position", 
    
    cast(5 as integer)
 as "touch_count", 
    
    cast(4.25 as double precision)
 as "age_days", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('o5' as text)
 as "order_id", 
    
    cast('c5' as text)
 as "customer_id", cast(null as text) as "person_key", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-10' as date)
 as "converted_date", 
    
    cast(100.0 as numeric(14,2))
 as "revenue", 
    
    cast(40.0 as numeric(14,2))
 as "profit", 
    
    cast('t4' as text)
 as "session_id", 
    
    cast('ads' as text)
 as "channel", 
    
    cast('ad_campaign:google_ads:g1' as text)
 as "source", 
    
    cast('2025-03-09 12:00:00+00' as timestamp with time zone)
 as "touched_at", 
    
    cast(True as boolean)
 as "is_credited", 
    
    cast(4 as integer)
 as "touch_position", 
    
    cast(5 as integer)
 as "touch_count", 
    
    cast(1.0 as double precision)
 as "age_days", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('o5' as text)
 as "order_id", 
    
    cast('c5' as text)
 as "customer_id", cast(null as text) as "person_key", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "converted_at", 
    
    cast('2025-03-10' as date)
 as "converted_date", 
    
    cast(100.0 as numeric(14,2))
 as "revenue", 
    
    cast(40.0 as numeric(14,2))
 as "profit", 
    
    cast('t5' as text)
 as "session_id", 
    
    cast('seo' as text)
 as "channel", 
    
    cast('article:a2' as text)
 as "source", 
    
    cast('2025-03-10 11:00:00+00' as timestamp with time zone)
 as "touched_at", 
    
    cast(True as boolean)
 as "is_credited", 
    
    cast(5 as integer)
 as "touch_position", 
    
    cast(5 as integer)
 as "touch_count", 
    
    cast(0.041666666666666664 as double precision)
 as "age_days", cast(null as timestamp with time zone) as "processed_at"