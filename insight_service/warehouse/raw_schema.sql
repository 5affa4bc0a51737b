-- Raw landing tables, exactly as ../shared/contracts/raw_sources.md specifies them.
-- Created by the sample loader (idempotent); real ELT tools may create them instead.
-- {schema} is substituted with a quoted identifier by insight_service.warehouse.raw_schema.
create schema if not exists {schema};

create table if not exists {schema}.stores (
    store_id text, name text, industry text, currency text, timezone text, status text,
    created_at timestamptz, _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.marketing_channels (
    channel_id text, store_id text, type text, name text, monthly_budget numeric(14,2),
    status text, created_at timestamptz, _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.blog_articles (
    article_id text, store_id text, title text, slug text, target_keyword text, status text,
    scheduled_for timestamptz, published_at timestamptz, created_at timestamptz,
    _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.article_daily_stats (
    store_id text, article_id text, date date, impressions bigint, organic_clicks bigint,
    avg_position numeric(6,2), pageviews bigint, unique_visitors bigint,
    avg_time_on_page_s numeric(10,2), bounce_rate numeric(5,4),
    _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.influencers (
    influencer_id text, platform text, handle text, followers bigint, niche text,
    _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.influencer_campaigns (
    campaign_id text, store_id text, name text, status text, budget_allocated numeric(14,2),
    start_date date, end_date date, created_at timestamptz,
    _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.influencer_outreach (
    outreach_id text, campaign_id text, influencer_id text, status text,
    sent_at timestamptz, opened_at timestamptz, replied_at timestamptz,
    _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.influencer_contracts (
    contract_id text, store_id text, campaign_id text, influencer_id text, fee numeric(14,2),
    start_date date, end_date date, status text, _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.influencer_deliveries (
    delivery_id text, contract_id text, deliverable_type text, platform text, post_date date,
    status text, reach bigint, impressions bigint, engagements bigint, clicks bigint,
    _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.social_posts_daily (
    store_id text, post_id text, platform text, date date, impressions bigint,
    engagements bigint, clicks bigint, spend numeric(14,2),
    _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.ad_campaign_daily (
    store_id text, platform text, campaign_id text, campaign_name text, date date,
    impressions bigint, clicks bigint, spend numeric(14,2), platform_conversions numeric(12,2),
    _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.marketing_spend (
    spend_id text, store_id text, channel text, source_type text, source_id text,
    spend_date date, amount numeric(14,2), description text,
    _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.web_sessions (
    session_id text, store_id text, visitor_id text, customer_id text, started_at timestamptz,
    duration_s integer, pageviews integer, bounced boolean, landing_path text,
    referrer_host text, utm_source text, utm_medium text, utm_campaign text, utm_content text,
    _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.customer_identities (
    store_id text, visitor_id text, customer_id text, linked_at timestamptz,
    _loaded_at timestamptz not null default now()
);

create table if not exists {schema}.orders (
    order_id text, store_id text, customer_id text, visitor_id text, created_at timestamptz,
    status text, subtotal numeric(14,2), discount numeric(14,2), shipping numeric(14,2),
    tax numeric(14,2), total numeric(14,2), refunded_amount numeric(14,2), cogs numeric(14,2),
    promo_code text, _loaded_at timestamptz not null default now()
);
