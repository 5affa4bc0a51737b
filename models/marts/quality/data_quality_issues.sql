-- every raw row excluded from the marts, with its table, natural key and why (contract: raw_sources.md "Bad rows")
{%- set checked = [
    ('stores', 'base_shop__stores', 'store_id'),
    ('marketing_channels', 'base_shop__marketing_channels', 'store_id'),
    ('orders', 'base_shop__orders', 'store_id'),
    ('blog_articles', 'base_seo__blog_articles', 'store_id'),
    ('article_daily_stats', 'base_seo__article_daily_stats', 'store_id'),
    ('influencers', 'base_influencer__influencers', none),
    ('influencer_campaigns', 'base_influencer__campaigns', 'store_id'),
    ('influencer_outreach', 'base_influencer__outreach', none),
    ('influencer_contracts', 'base_influencer__contracts', 'store_id'),
    ('influencer_deliveries', 'base_influencer__deliveries', none),
    ('social_posts_daily', 'base_social__posts_daily', 'store_id'),
    ('ad_campaign_daily', 'base_ads__campaign_daily', 'store_id'),
    ('marketing_spend', 'base_finance__marketing_spend', 'store_id'),
    ('web_sessions', 'base_web__sessions', 'store_id'),
    ('customer_identities', 'base_web__customer_identities', 'store_id'),
] %}

{% for table_name, base_model, store_column in checked %}
select
    '{{ table_name }}'::text                       as table_name,
    _row_key::text                                 as row_key,
    {{ store_column if store_column else 'null' }}::text as store_id,
    _dq_reason::text                               as reason,
    _dq_details::text                              as details,
    _loaded_at::timestamptz                        as raw_loaded_at,
    '{{ run_started_at.isoformat() }}'::timestamptz as detected_at
from {{ ref(base_model) }}
where _dq_reason is not null
{% if not loop.last %}union all{% endif %}
{% endfor %}
