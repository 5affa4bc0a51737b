
      
  
    

  create  table "gen40"."intermediate"."int_quality__unknown_references__dbt_tmp"
  
  
    as
  
  (
    -- one row per staged row that points at a store (or contract) the warehouse does not know: the
-- intermediate models drop it in their joins, so it is quarantined here (`unknown_reference`)
-- and listed in marts.data_quality_issues. Staging cannot tell: it reads its own source only.
-- Incremental: the rows (re)staged or quarantined since the last run are (re)checked; a store
-- or contract that arrives after its rows needs `--full-refresh` (DECISIONLOG).

-- depends_on: "gen40"."staging"."quarantine_shop__marketing_channels"
-- depends_on: "gen40"."staging"."quarantine_shop__orders"
-- depends_on: "gen40"."staging"."quarantine_seo__blog_articles"
-- depends_on: "gen40"."staging"."quarantine_seo__article_daily_stats"
-- depends_on: "gen40"."staging"."quarantine_influencer__campaigns"
-- depends_on: "gen40"."staging"."quarantine_influencer__contracts"
-- depends_on: "gen40"."staging"."quarantine_influencer__deliveries"
-- depends_on: "gen40"."staging"."quarantine_social__posts_daily"
-- depends_on: "gen40"."staging"."quarantine_ads__campaign_daily"
-- depends_on: "gen40"."staging"."quarantine_finance__marketing_spend"
-- depends_on: "gen40"."staging"."quarantine_web__sessions"
-- depends_on: "gen40"."staging"."quarantine_web__customer_identities"



-- marketing_channels: rows whose store_id is not a known store_id
select
    'marketing_channels'::text                                as table_name,
    coalesce(channel_id::text, '<null>')::text                   as row_key,
    staged.store_id::text as store_id,
    'unknown_reference'::text                                   as reason,
    'staged.store_id = ' || coalesce(quote_literal(staged.store_id::text), 'null') || ' is not a known store_id'::text as details,
    staged.loaded_at::timestamptz                               as raw_loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                           as detected_at
from "gen40"."staging"."stg_shop__marketing_channels" as staged
where
    not exists (select 1 from "gen40"."staging"."stg_shop__stores" as parent where parent.store_id = staged.store_id)

union all
-- orders: rows whose store_id is not a known store_id
select
    'orders'::text                                as table_name,
    coalesce(order_id::text, '<null>')::text                   as row_key,
    staged.store_id::text as store_id,
    'unknown_reference'::text                                   as reason,
    'staged.store_id = ' || coalesce(quote_literal(staged.store_id::text), 'null') || ' is not a known store_id'::text as details,
    staged.loaded_at::timestamptz                               as raw_loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                           as detected_at
from "gen40"."staging"."stg_shop__orders" as staged
where
    not exists (select 1 from "gen40"."staging"."stg_shop__stores" as parent where parent.store_id = staged.store_id)

union all
-- blog_articles: rows whose store_id is not a known store_id
select
    'blog_articles'::text                                as table_name,
    coalesce(article_id::text, '<null>')::text                   as row_key,
    staged.store_id::text as store_id,
    'unknown_reference'::text                                   as reason,
    'staged.store_id = ' || coalesce(quote_literal(staged.store_id::text), 'null') || ' is not a known store_id'::text as details,
    staged.loaded_at::timestamptz                               as raw_loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                           as detected_at
from "gen40"."staging"."stg_seo__blog_articles" as staged
where
    not exists (select 1 from "gen40"."staging"."stg_shop__stores" as parent where parent.store_id = staged.store_id)

union all
-- article_daily_stats: rows whose store_id is not a known store_id
select
    'article_daily_stats'::text                                as table_name,
    coalesce(article_id::text, '<null>') || '|' || coalesce(stat_date::text, '<null>')::text                   as row_key,
    staged.store_id::text as store_id,
    'unknown_reference'::text                                   as reason,
    'staged.store_id = ' || coalesce(quote_literal(staged.store_id::text), 'null') || ' is not a known store_id'::text as details,
    staged.loaded_at::timestamptz                               as raw_loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                           as detected_at
from "gen40"."staging"."stg_seo__article_daily_stats" as staged
where
    not exists (select 1 from "gen40"."staging"."stg_shop__stores" as parent where parent.store_id = staged.store_id)

union all
-- influencer_campaigns: rows whose store_id is not a known store_id
select
    'influencer_campaigns'::text                                as table_name,
    coalesce(campaign_id::text, '<null>')::text                   as row_key,
    staged.store_id::text as store_id,
    'unknown_reference'::text                                   as reason,
    'staged.store_id = ' || coalesce(quote_literal(staged.store_id::text), 'null') || ' is not a known store_id'::text as details,
    staged.loaded_at::timestamptz                               as raw_loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                           as detected_at
from "gen40"."staging"."stg_influencer__campaigns" as staged
where
    not exists (select 1 from "gen40"."staging"."stg_shop__stores" as parent where parent.store_id = staged.store_id)

union all
-- influencer_contracts: rows whose store_id is not a known store_id
select
    'influencer_contracts'::text                                as table_name,
    coalesce(contract_id::text, '<null>')::text                   as row_key,
    staged.store_id::text as store_id,
    'unknown_reference'::text                                   as reason,
    'staged.store_id = ' || coalesce(quote_literal(staged.store_id::text), 'null') || ' is not a known store_id'::text as details,
    staged.loaded_at::timestamptz                               as raw_loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                           as detected_at
from "gen40"."staging"."stg_influencer__contracts" as staged
where
    not exists (select 1 from "gen40"."staging"."stg_shop__stores" as parent where parent.store_id = staged.store_id)

union all
-- influencer_deliveries: rows whose contract_id is not a known contract_id
select
    'influencer_deliveries'::text                                as table_name,
    coalesce(delivery_id::text, '<null>')::text                   as row_key,
    null::text as store_id,
    'unknown_reference'::text                                   as reason,
    'staged.contract_id = ' || coalesce(quote_literal(staged.contract_id::text), 'null') || ' is not a known contract_id'::text as details,
    staged.loaded_at::timestamptz                               as raw_loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                           as detected_at
from "gen40"."staging"."stg_influencer__deliveries" as staged
where
    not exists (select 1 from "gen40"."staging"."stg_influencer__contracts" as parent where parent.contract_id = staged.contract_id)

union all
-- social_posts_daily: rows whose store_id is not a known store_id
select
    'social_posts_daily'::text                                as table_name,
    coalesce(post_id::text, '<null>') || '|' || coalesce(stat_date::text, '<null>')::text                   as row_key,
    staged.store_id::text as store_id,
    'unknown_reference'::text                                   as reason,
    'staged.store_id = ' || coalesce(quote_literal(staged.store_id::text), 'null') || ' is not a known store_id'::text as details,
    staged.loaded_at::timestamptz                               as raw_loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                           as detected_at
from "gen40"."staging"."stg_social__posts_daily" as staged
where
    not exists (select 1 from "gen40"."staging"."stg_shop__stores" as parent where parent.store_id = staged.store_id)

union all
-- ad_campaign_daily: rows whose store_id is not a known store_id
select
    'ad_campaign_daily'::text                                as table_name,
    coalesce(platform::text, '<null>') || '|' || coalesce(campaign_id::text, '<null>') || '|' || coalesce(stat_date::text, '<null>')::text                   as row_key,
    staged.store_id::text as store_id,
    'unknown_reference'::text                                   as reason,
    'staged.store_id = ' || coalesce(quote_literal(staged.store_id::text), 'null') || ' is not a known store_id'::text as details,
    staged.loaded_at::timestamptz                               as raw_loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                           as detected_at
from "gen40"."staging"."stg_ads__campaign_daily" as staged
where
    not exists (select 1 from "gen40"."staging"."stg_shop__stores" as parent where parent.store_id = staged.store_id)

union all
-- marketing_spend: rows whose store_id is not a known store_id
select
    'marketing_spend'::text                                as table_name,
    coalesce(spend_id::text, '<null>')::text                   as row_key,
    staged.store_id::text as store_id,
    'unknown_reference'::text                                   as reason,
    'staged.store_id = ' || coalesce(quote_literal(staged.store_id::text), 'null') || ' is not a known store_id'::text as details,
    staged.loaded_at::timestamptz                               as raw_loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                           as detected_at
from "gen40"."staging"."stg_finance__marketing_spend" as staged
where
    not exists (select 1 from "gen40"."staging"."stg_shop__stores" as parent where parent.store_id = staged.store_id)

union all
-- web_sessions: rows whose store_id is not a known store_id
select
    'web_sessions'::text                                as table_name,
    coalesce(session_id::text, '<null>')::text                   as row_key,
    staged.store_id::text as store_id,
    'unknown_reference'::text                                   as reason,
    'staged.store_id = ' || coalesce(quote_literal(staged.store_id::text), 'null') || ' is not a known store_id'::text as details,
    staged.loaded_at::timestamptz                               as raw_loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                           as detected_at
from "gen40"."staging"."stg_web__sessions" as staged
where
    not exists (select 1 from "gen40"."staging"."stg_shop__stores" as parent where parent.store_id = staged.store_id)

union all
-- customer_identities: rows whose store_id is not a known store_id
select
    'customer_identities'::text                                as table_name,
    coalesce(store_id::text, '<null>') || '|' || coalesce(visitor_id::text, '<null>')::text                   as row_key,
    staged.store_id::text as store_id,
    'unknown_reference'::text                                   as reason,
    'staged.store_id = ' || coalesce(quote_literal(staged.store_id::text), 'null') || ' is not a known store_id'::text as details,
    staged.loaded_at::timestamptz                               as raw_loaded_at,
    '2026-12-06T12:30:54.482240+00:00'::timestamptz                                           as detected_at
from "gen40"."staging"."stg_web__customer_identities" as staged
where
    not exists (select 1 from "gen40"."staging"."stg_shop__stores" as parent where parent.store_id = staged.store_id)

  );
  
  