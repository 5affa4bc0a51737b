
  create view "gen40"."intermediate"."int_metrics__unioned_daily__dbt_tmp"
    
    
      
  as (
    -- every channel family on one fixed column set (fivetran ad_reporting pattern); one row per family, store, day, channel, source



select
    'web_traffic'::text as family,
    store_id, date, channel, source,
    sessions, pageviews, unique_visitors, session_duration_s_sum, bounced_sessions,
    impressions, clicks, engagements, cost, conversions, revenue, profit, loaded_at, attributed_at
from "gen40"."intermediate"."int_metrics__web_traffic_daily"
union all

select
    'seo_platform'::text as family,
    store_id, date, channel, source,
    sessions, pageviews, unique_visitors, session_duration_s_sum, bounced_sessions,
    impressions, clicks, engagements, cost, conversions, revenue, profit, loaded_at, attributed_at
from "gen40"."intermediate"."int_metrics__seo_daily"
union all

select
    'influencer_platform'::text as family,
    store_id, date, channel, source,
    sessions, pageviews, unique_visitors, session_duration_s_sum, bounced_sessions,
    impressions, clicks, engagements, cost, conversions, revenue, profit, loaded_at, attributed_at
from "gen40"."intermediate"."int_metrics__influencer_daily"
union all

select
    'social_platform'::text as family,
    store_id, date, channel, source,
    sessions, pageviews, unique_visitors, session_duration_s_sum, bounced_sessions,
    impressions, clicks, engagements, cost, conversions, revenue, profit, loaded_at, attributed_at
from "gen40"."intermediate"."int_metrics__social_daily"
union all

select
    'ads_platform'::text as family,
    store_id, date, channel, source,
    sessions, pageviews, unique_visitors, session_duration_s_sum, bounced_sessions,
    impressions, clicks, engagements, cost, conversions, revenue, profit, loaded_at, attributed_at
from "gen40"."intermediate"."int_metrics__ads_daily"
union all

select
    'ledger'::text as family,
    store_id, date, channel, source,
    sessions, pageviews, unique_visitors, session_duration_s_sum, bounced_sessions,
    impressions, clicks, engagements, cost, conversions, revenue, profit, loaded_at, attributed_at
from "gen40"."intermediate"."int_metrics__ledger_costs_daily"
union all

select
    'attribution'::text as family,
    store_id, date, channel, source,
    sessions, pageviews, unique_visitors, session_duration_s_sum, bounced_sessions,
    impressions, clicks, engagements, cost, conversions, revenue, profit, loaded_at, attributed_at
from "gen40"."intermediate"."int_metrics__attributed_daily"


  );