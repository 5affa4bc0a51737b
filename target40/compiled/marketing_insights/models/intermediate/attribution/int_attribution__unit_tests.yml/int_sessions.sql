
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