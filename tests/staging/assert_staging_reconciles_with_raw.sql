-- Nothing is silently dropped: for every raw table,
-- raw rows = staged rows + quarantined rows (bad rows and superseded duplicates).
{%- set tables = [
    ('shop', 'stores', 'stg_shop__stores'),
    ('shop', 'marketing_channels', 'stg_shop__marketing_channels'),
    ('shop', 'orders', 'stg_shop__orders'),
    ('seo', 'blog_articles', 'stg_seo__blog_articles'),
    ('seo', 'article_daily_stats', 'stg_seo__article_daily_stats'),
    ('influencer', 'influencers', 'stg_influencer__influencers'),
    ('influencer', 'influencer_campaigns', 'stg_influencer__campaigns'),
    ('influencer', 'influencer_outreach', 'stg_influencer__outreach'),
    ('influencer', 'influencer_contracts', 'stg_influencer__contracts'),
    ('influencer', 'influencer_deliveries', 'stg_influencer__deliveries'),
    ('social', 'social_posts_daily', 'stg_social__posts_daily'),
    ('ads', 'ad_campaign_daily', 'stg_ads__campaign_daily'),
    ('finance', 'marketing_spend', 'stg_finance__marketing_spend'),
    ('web', 'web_sessions', 'stg_web__sessions'),
    ('web', 'customer_identities', 'stg_web__customer_identities'),
] %}

with counts as (
    {% for source_name, table_name, staging_model in tables %}
    select
        '{{ table_name }}' as table_name,
        (select count(*) from {{ source(source_name, table_name) }}) as raw_rows,
        (select count(*) from {{ ref(staging_model) }}) as staged_rows,
        (select count(*) from {{ ref('data_quality_issues') }} where table_name = '{{ table_name }}') as quarantined_rows
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from counts where raw_rows <> staged_rows + quarantined_rows
