-- every channel family on one fixed column set (fivetran ad_reporting pattern);
-- one row per family, store, day, channel, source
{{ config(materialized='view') }}

{%- set families = [
    ('web_traffic', 'int_metrics__web_traffic_daily'),
    ('seo_platform', 'int_metrics__seo_daily'),
    ('influencer_platform', 'int_metrics__influencer_daily'),
    ('social_platform', 'int_metrics__social_daily'),
    ('ads_platform', 'int_metrics__ads_daily'),
    ('ledger', 'int_metrics__ledger_costs_daily'),
    ('attribution', 'int_metrics__attributed_daily'),
] %}

{% for family, model in families %}
select
    '{{ family }}'::{{ text_type() }} as family,
    store_id, date, channel, source,
    sessions, pageviews, unique_visitors, session_duration_s_sum, bounced_sessions,
    impressions, clicks, engagements, cost, conversions, revenue, profit, loaded_at, attributed_at
from {{ ref(model) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
