-- every order's journey: the sessions that may credit it, with the direct rule applied.
-- One row per (order, journey session); an order with no session gets one `unattributed` row.
-- Incremental: only the orders a change can reach are rebuilt (int_attribution__conversions and
-- int_sessions rows stamped since the last run): changed orders (and, through their rewritten
-- siblings, the next order of the same person), the orders whose journey held a changed session,
-- and the first order of a changed session's person within the lookback after it. Found with
-- joins on indexed keys, never by scanning history.
with  __dbt__cte__int_attribution__conversions as (

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
),  __dbt__cte__int_sessions as (

-- Fixture for int_sessions
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('a_d1' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pA' as text)
 as "person_key", 
    
    cast('2025-03-05 12:00:00+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('direct' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('unassigned' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('a_seo' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pA' as text)
 as "person_key", 
    
    cast('2025-03-06 12:00:00+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('seo' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('article:a1' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('a_d2' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pA' as text)
 as "person_key", 
    
    cast('2025-03-07 12:00:00+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('direct' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('unassigned' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('a_ads' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pA' as text)
 as "person_key", 
    
    cast('2025-03-10 12:00:00+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('ads' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('ad_campaign:google_ads:g1' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('a_after' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pA' as text)
 as "person_key", 
    
    cast('2025-03-10 12:00:01+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('email' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('unassigned' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('b_d1' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pB' as text)
 as "person_key", 
    
    cast('2025-03-09 12:00:00+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('direct' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('unassigned' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('b_d2' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pB' as text)
 as "person_key", 
    
    cast('2025-03-10 10:00:00+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('direct' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('unassigned' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('c_early' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pC' as text)
 as "person_key", 
    
    cast('2025-03-01 12:00:00+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('seo' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('article:a1' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('c_late' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pC' as text)
 as "person_key", 
    
    cast('2025-03-05 12:00:00+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('ads' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('ad_campaign:google_ads:g1' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('d_old' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pD' as text)
 as "person_key", 
    
    cast('2025-02-08 11:59:59+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('social' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('post:p1' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('e_edge' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pE' as text)
 as "person_key", 
    
    cast('2025-02-08 12:00:00+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('influencer' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('campaign:k1' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('g2' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pG' as text)
 as "person_key", 
    
    cast('2025-03-09 12:00:00+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('social' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('post:p1' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s1' as text)
 as "store_id", 
    
    cast('g1' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pG' as text)
 as "person_key", 
    
    cast('2025-03-09 12:00:00+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('email' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('unassigned' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
union all
select 
    
    cast('s2' as text)
 as "store_id", 
    
    cast('other_store' as text)
 as "session_id", cast(null as text) as "visitor_id", cast(null as text) as "customer_id", 
    
    cast('pA' as text)
 as "person_key", 
    
    cast('2025-03-08 12:00:00+00' as timestamp with time zone)
 as "started_at", cast(null as date) as "session_date", cast(null as integer) as "duration_s", cast(null as integer) as "pageviews", cast(null as boolean) as "bounced", cast(null as text) as "landing_path", cast(null as text) as "referrer_host", cast(null as text) as "utm_source", cast(null as text) as "utm_medium", cast(null as text) as "utm_campaign", cast(null as text) as "utm_content", 
    
    cast('referral' as text)
 as "channel", cast(null as text) as "article_id", cast(null as text) as "influencer_campaign_id", cast(null as text) as "delivery_id", cast(null as text) as "post_id", cast(null as text) as "ad_platform", cast(null as text) as "ad_campaign_id", 
    
    cast('unassigned' as text)
 as "source", cast(null as timestamp with time zone) as "loaded_at", 
    
    cast(False as boolean)
 as "is_removed", cast(null as date) as "previous_session_date", cast(null as timestamp with time zone) as "processed_at"
), conversions as (
    -- converting orders, each with its person and previous-conversion boundary
    select * from __dbt__cte__int_attribution__conversions where not is_removed
),
batch as (
    -- full refresh: every converting order
    select * from conversions
),

sessions as (
    -- live sessions, each tagged with its person
    select * from __dbt__cte__int_sessions where not is_removed
),

journeys as (
    -- contract window: previous_order_at < started_at <= converted_at, within the lookback
    select
        batch.store_id,
        batch.order_id,
        batch.customer_id,
        batch.person_key,
        batch.converted_at,
        batch.converted_date,
        batch.revenue,
        batch.profit,
        sessions.session_id,
        sessions.channel,
        sessions.source,
        sessions.started_at
    from batch
    inner join sessions
        on sessions.store_id = batch.store_id
       and sessions.person_key = batch.person_key
       and sessions.started_at <= batch.converted_at
       and sessions.started_at >= batch.converted_at - interval '30 days'
       and (batch.previous_order_at is null or sessions.started_at > batch.previous_order_at)
),

direct_rule as (
    -- direct touches earn nothing when the journey has any other channel
    select
        journeys.*,
        journeys.channel <> 'direct'
            or not bool_or(journeys.channel <> 'direct') over (partition by journeys.order_id) as is_credited
    from journeys
),

positioned as (
    -- order credited touches by time, ties by session_id
    select
        direct_rule.*,
        case when is_credited then
            row_number() over (partition by order_id, is_credited order by started_at, session_id)
        end as touch_position,
        count(*) filter (where is_credited) over (partition by order_id) as touch_count
    from direct_rule
),

unattributed as (
    -- an order with no touch in its window is credited to `unattributed`
    select
        batch.store_id, batch.order_id, batch.customer_id, batch.person_key, batch.converted_at,
        batch.converted_date, batch.revenue, batch.profit,
        null::text as session_id, 'unattributed'::text as channel, 'unassigned'::text as source,
        null::timestamptz as started_at, true as is_credited, null::bigint as touch_position, 0::bigint as touch_count
    from batch
    where not exists (select 1 from journeys where journeys.order_id = batch.order_id)
)

select
    store_id::text                                    as store_id,
    order_id::text                                    as order_id,
    customer_id::text                                 as customer_id,
    person_key::text                                  as person_key,
    converted_at::timestamptz                         as converted_at,
    converted_date::date                              as converted_date,
    revenue::numeric(14,2)                            as revenue,
    profit::numeric(14,2)                             as profit,
    session_id::text                                  as session_id,
    channel::text                                     as channel,
    source::text                                      as source,
    started_at::timestamptz                           as touched_at,
    is_credited::boolean                              as is_credited,
    touch_position::integer                           as touch_position,
    touch_count::integer                              as touch_count,
    -- fractional days between touch and conversion (time-decay age)
    (extract(epoch from converted_at - started_at) / 86400.0)::float8 as age_days,
    -- lets the downstream incremental facts pick up exactly the orders this run rewrote
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                 as processed_at
from (
    select * from positioned
    union all
    select * from unattributed
) as touchpoints