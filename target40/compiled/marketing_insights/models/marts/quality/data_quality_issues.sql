-- every raw row excluded from the marts, with its table, natural key and why (contract: raw_sources.md
-- "Bad rows"): the staging quarantines (own-row checks and superseded deliveries) and the rows that
-- point at an unknown store or contract (int_quality__unknown_references)


select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_shop__stores"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_shop__marketing_channels"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_shop__orders"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_seo__blog_articles"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_seo__article_daily_stats"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_influencer__influencers"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_influencer__campaigns"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_influencer__outreach"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_influencer__contracts"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_influencer__deliveries"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_social__posts_daily"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_ads__campaign_daily"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_finance__marketing_spend"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_web__sessions"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."staging"."quarantine_web__customer_identities"
union all

select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at
from "gen40"."intermediate"."int_quality__unknown_references"