{#- The one list of raw tables (contract: raw_sources.md) and the models that stage them:
    (source name, raw table, staging model, base model, store column or none).
    Used by the quarantine, the raw/staging reconciliation test and the freshness mart. -#}
{% macro raw_tables() %}
    {{ return([
        ('shop', 'stores', 'stg_shop__stores', 'base_shop__stores', 'store_id'),
        ('shop', 'marketing_channels', 'stg_shop__marketing_channels', 'base_shop__marketing_channels', 'store_id'),
        ('shop', 'orders', 'stg_shop__orders', 'base_shop__orders', 'store_id'),
        ('seo', 'blog_articles', 'stg_seo__blog_articles', 'base_seo__blog_articles', 'store_id'),
        ('seo', 'article_daily_stats', 'stg_seo__article_daily_stats', 'base_seo__article_daily_stats', 'store_id'),
        ('influencer', 'influencers', 'stg_influencer__influencers', 'base_influencer__influencers', none),
        ('influencer', 'influencer_campaigns', 'stg_influencer__campaigns', 'base_influencer__campaigns', 'store_id'),
        ('influencer', 'influencer_outreach', 'stg_influencer__outreach', 'base_influencer__outreach', none),
        ('influencer', 'influencer_contracts', 'stg_influencer__contracts', 'base_influencer__contracts', 'store_id'),
        ('influencer', 'influencer_deliveries', 'stg_influencer__deliveries', 'base_influencer__deliveries', none),
        ('social', 'social_posts_daily', 'stg_social__posts_daily', 'base_social__posts_daily', 'store_id'),
        ('ads', 'ad_campaign_daily', 'stg_ads__campaign_daily', 'base_ads__campaign_daily', 'store_id'),
        ('finance', 'marketing_spend', 'stg_finance__marketing_spend', 'base_finance__marketing_spend', 'store_id'),
        ('web', 'web_sessions', 'stg_web__sessions', 'base_web__sessions', 'store_id'),
        ('web', 'customer_identities', 'stg_web__customer_identities', 'base_web__customer_identities', 'store_id'),
    ]) }}
{% endmacro %}
