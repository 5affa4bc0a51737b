{#- The one list of raw tables (contract: raw_sources.md) and what staging does with each:

      source, table        the dbt source
      model                its staging model; `quarantine_<...>` is the same name with that prefix
      key                  natural key as SQL over the raw columns (the dedup key; the raw
                           key index of insight_service/warehouse/raw_indexes.sql matches it)
      staged_key           the same key as columns of the staging model
      store_column         the raw column naming the store (none: the row has no store)
      reference            [staged column, staging model, its key]: the parent the row needs;
                           checked in intermediate (int_quality__unknown_references), since a
                           staging model reads its own source only

    Used by the staging and quarantine models, the quarantine and freshness marts and the
    raw/staging reconciliation test. The row-level checks of each table are in
    raw_table_checks() below. -#}
{% macro raw_tables() %}
    {%- set stores = ['store_id', 'stg_shop__stores', 'store_id'] -%}
    {{ return([
        {'source': 'shop', 'table': 'stores', 'model': 'stg_shop__stores',
         'key': ['store_id'], 'staged_key': ['store_id'], 'store_column': 'store_id', 'reference': none},
        {'source': 'shop', 'table': 'marketing_channels', 'model': 'stg_shop__marketing_channels',
         'key': ['channel_id'], 'staged_key': ['channel_id'], 'store_column': 'store_id', 'reference': stores},
        {'source': 'shop', 'table': 'orders', 'model': 'stg_shop__orders',
         'key': ['order_id'], 'staged_key': ['order_id'], 'store_column': 'store_id', 'reference': stores},
        {'source': 'seo', 'table': 'blog_articles', 'model': 'stg_seo__blog_articles',
         'key': ['article_id'], 'staged_key': ['article_id'], 'store_column': 'store_id', 'reference': stores},
        {'source': 'seo', 'table': 'article_daily_stats', 'model': 'stg_seo__article_daily_stats',
         'key': ['article_id', 'date'], 'staged_key': ['article_id', 'stat_date'], 'store_column': 'store_id', 'reference': stores},
        {'source': 'influencer', 'table': 'influencers', 'model': 'stg_influencer__influencers',
         'key': ['influencer_id'], 'staged_key': ['influencer_id'], 'store_column': none, 'reference': none},
        {'source': 'influencer', 'table': 'influencer_campaigns', 'model': 'stg_influencer__campaigns',
         'key': ['campaign_id'], 'staged_key': ['campaign_id'], 'store_column': 'store_id', 'reference': stores},
        {'source': 'influencer', 'table': 'influencer_outreach', 'model': 'stg_influencer__outreach',
         'key': ['outreach_id'], 'staged_key': ['outreach_id'], 'store_column': none, 'reference': none},
        {'source': 'influencer', 'table': 'influencer_contracts', 'model': 'stg_influencer__contracts',
         'key': ['contract_id'], 'staged_key': ['contract_id'], 'store_column': 'store_id', 'reference': stores},
        {'source': 'influencer', 'table': 'influencer_deliveries', 'model': 'stg_influencer__deliveries',
         'key': ['delivery_id'], 'staged_key': ['delivery_id'], 'store_column': none,
         'reference': ['contract_id', 'stg_influencer__contracts', 'contract_id']},
        {'source': 'social', 'table': 'social_posts_daily', 'model': 'stg_social__posts_daily',
         'key': ['post_id', 'date'], 'staged_key': ['post_id', 'stat_date'], 'store_column': 'store_id', 'reference': stores},
        {'source': 'ads', 'table': 'ad_campaign_daily', 'model': 'stg_ads__campaign_daily',
         'key': ['lower(trim(platform))', 'campaign_id', 'date'], 'staged_key': ['platform', 'campaign_id', 'stat_date'],
         'store_column': 'store_id', 'reference': stores},
        {'source': 'finance', 'table': 'marketing_spend', 'model': 'stg_finance__marketing_spend',
         'key': ['spend_id'], 'staged_key': ['spend_id'], 'store_column': 'store_id', 'reference': stores},
        {'source': 'web', 'table': 'web_sessions', 'model': 'stg_web__sessions',
         'key': ['session_id'], 'staged_key': ['session_id'], 'store_column': 'store_id', 'reference': stores},
        {'source': 'web', 'table': 'customer_identities', 'model': 'stg_web__customer_identities',
         'key': ['store_id', 'visitor_id'], 'staged_key': ['store_id', 'visitor_id'], 'store_column': 'store_id', 'reference': stores},
    ]) }}
{% endmacro %}

{#- The entry of raw_tables() for one raw table. -#}
{% macro raw_table(table_name) %}
    {%- for entry in raw_tables() if entry['table'] == table_name -%}
        {{ return(entry) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("raw_table: unknown raw table " ~ table_name) }}
{% endmacro %}

{#- The quarantine model of a raw table (its staging model with the `quarantine_` prefix). -#}
{% macro quarantine_model_name(entry) %}
    {{ return('quarantine_' ~ entry['model'][4:]) }}
{% endmacro %}

{#- The row-level checks of a raw table, in order of precedence after null_key and duplicate
    (macros/quality.sql builds them). Only the row's own columns: references to other tables
    are checked in intermediate. Negative marketing_spend amounts are legitimate (refunds,
    credits), so the ledger has no negative check. -#}
{% macro raw_table_checks(table_name) %}
    {%- set checks = {
        'stores': [
            enum_check('status', ['active', 'paused', 'archived']),
            ['unknown_enum', "timezone is null or trim(timezone) not in (" ~ timezone_names() ~ ")",
             dq_value('timezone') ~ " || ' is not an IANA timezone name'"],
        ],
        'marketing_channels': [
            enum_check('type', ['seo', 'influencer', 'social', 'ads', 'email']),
            enum_check('status', ['active', 'paused', 'archived']),
            negative_check(['monthly_budget']),
        ],
        'orders': [
            missing_check('created_at'),
            enum_check('status', ['paid', 'fulfilled', 'refunded', 'partially_refunded', 'cancelled', 'pending']),
            negative_check(['subtotal', 'discount', 'shipping', 'tax', 'total', 'refunded_amount', 'cogs']),
            future_check('created_at'),
        ],
        'blog_articles': [
            enum_check('status', ['draft', 'scheduled', 'published', 'archived']),
            future_check('published_at'),
        ],
        'article_daily_stats': [
            negative_check(['impressions', 'organic_clicks', 'avg_position', 'pageviews', 'unique_visitors', 'avg_time_on_page_s', 'bounce_rate']),
            ['out_of_range', 'bounce_rate > 1', dq_value('bounce_rate') ~ " || ' is above 1 (it is a fraction)'"],
            future_check('date', is_date=true),
        ],
        'influencers': [
            negative_check(['followers']),
        ],
        'influencer_campaigns': [
            enum_check('status', ['draft', 'active', 'completed', 'cancelled']),
            negative_check(['budget_allocated']),
        ],
        'influencer_outreach': [
            enum_check('status', ['queued', 'sent', 'bounced', 'replied', 'declined', 'accepted']),
            future_check('sent_at'),
        ],
        'influencer_contracts': [
            enum_check('status', ['pending', 'signed', 'completed', 'cancelled']),
            negative_check(['fee']),
        ],
        'influencer_deliveries': [
            enum_check('deliverable_type', ['post', 'story', 'reel', 'video']),
            enum_check('status', ['planned', 'posted', 'verified', 'missed']),
            negative_check(['reach', 'impressions', 'engagements', 'clicks']),
            future_check('post_date', is_date=true),
        ],
        'social_posts_daily': [
            negative_check(['impressions', 'engagements', 'clicks', 'spend']),
            future_check('date', is_date=true),
        ],
        'ad_campaign_daily': [
            negative_check(['impressions', 'clicks', 'spend', 'platform_conversions']),
            future_check('date', is_date=true),
        ],
        'marketing_spend': [
            enum_check('channel', ['seo', 'influencer', 'social', 'ads', 'email']),
            enum_check('source_type', ['article', 'contract', 'campaign', 'tool', 'other']),
            missing_check('spend_date'),
            future_check('spend_date', is_date=true),
        ],
        'web_sessions': [
            missing_check('started_at'),
            negative_check(['duration_s', 'pageviews']),
            future_check('started_at'),
        ],
        'customer_identities': [
            missing_check('customer_id'),
            future_check('linked_at'),
        ],
    } -%}
    {{ return(checks[table_name]) }}
{% endmacro %}
