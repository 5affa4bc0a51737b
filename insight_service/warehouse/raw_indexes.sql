-- Access paths of the incremental staging models on the raw landing tables (created by the
-- sample loader after its COPY; a real ELT tool's tables work without them, only slower).
-- `_loaded_at` finds what landed since the last run; the natural key (the same expressions
-- as the staging models' dedup key, macros/raw_tables.sql) finds every earlier delivery of a
-- re-delivered key. {schema} is substituted with a quoted identifier.
create index if not exists stores__loaded_at_idx on {schema}.stores (_loaded_at);
create index if not exists stores_key_idx on {schema}.stores (store_id);
create index if not exists marketing_channels__loaded_at_idx on {schema}.marketing_channels (_loaded_at);
create index if not exists marketing_channels_key_idx on {schema}.marketing_channels (channel_id);
create index if not exists blog_articles__loaded_at_idx on {schema}.blog_articles (_loaded_at);
create index if not exists blog_articles_key_idx on {schema}.blog_articles (article_id);
create index if not exists article_daily_stats__loaded_at_idx on {schema}.article_daily_stats (_loaded_at);
create index if not exists article_daily_stats_key_idx on {schema}.article_daily_stats (article_id, date);
create index if not exists influencers__loaded_at_idx on {schema}.influencers (_loaded_at);
create index if not exists influencers_key_idx on {schema}.influencers (influencer_id);
create index if not exists influencer_campaigns__loaded_at_idx on {schema}.influencer_campaigns (_loaded_at);
create index if not exists influencer_campaigns_key_idx on {schema}.influencer_campaigns (campaign_id);
create index if not exists influencer_outreach__loaded_at_idx on {schema}.influencer_outreach (_loaded_at);
create index if not exists influencer_outreach_key_idx on {schema}.influencer_outreach (outreach_id);
create index if not exists influencer_contracts__loaded_at_idx on {schema}.influencer_contracts (_loaded_at);
create index if not exists influencer_contracts_key_idx on {schema}.influencer_contracts (contract_id);
create index if not exists influencer_deliveries__loaded_at_idx on {schema}.influencer_deliveries (_loaded_at);
create index if not exists influencer_deliveries_key_idx on {schema}.influencer_deliveries (delivery_id);
create index if not exists social_posts_daily__loaded_at_idx on {schema}.social_posts_daily (_loaded_at);
create index if not exists social_posts_daily_key_idx on {schema}.social_posts_daily (post_id, date);
create index if not exists ad_campaign_daily__loaded_at_idx on {schema}.ad_campaign_daily (_loaded_at);
create index if not exists ad_campaign_daily_key_idx on {schema}.ad_campaign_daily (lower(trim(platform)), campaign_id, date);
create index if not exists marketing_spend__loaded_at_idx on {schema}.marketing_spend (_loaded_at);
create index if not exists marketing_spend_key_idx on {schema}.marketing_spend (spend_id);
create index if not exists web_sessions__loaded_at_idx on {schema}.web_sessions (_loaded_at);
create index if not exists web_sessions_key_idx on {schema}.web_sessions (session_id);
create index if not exists customer_identities__loaded_at_idx on {schema}.customer_identities (_loaded_at);
create index if not exists customer_identities_key_idx on {schema}.customer_identities (store_id, visitor_id);
create index if not exists orders__loaded_at_idx on {schema}.orders (_loaded_at);
create index if not exists orders_key_idx on {schema}.orders (order_id);
