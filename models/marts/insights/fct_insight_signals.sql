-- one row per deterministic marketing signal of a store (issue 7): what the insight service turns into
-- insights. Each signal family is its own model (models/intermediate/insights/int_insight_signals__<family>.sql,
-- windows ending at the store's latest data date); this mart is their union (see the YAML for every rule).
{{ config(
    materialized='table',
    indexes=[
        {'columns': ['signal_id'], 'unique': true},
        {'columns': ['store_id', 'severity']},
    ],
) }}

{#- the contract's columns, in order; every family model ends with them (insight_signal_rows) -#}
{%- set columns = [
    'store_id', 'signal_id', 'signal_type', 'channel', 'source', 'period', 'period_start', 'period_end',
    'metric', 'current_value', 'comparison_value', 'comparison_kind', 'change_pct', 'estimated_revenue_impact',
    'severity', 'evidence', 'impact_share_pct', 'severity_base',
] %}
{%- set families = [
    'revenue_change', 'benchmark_rating', 'budget_pacing', 'marginal_efficiency', 'outsized_source', 'sessions_drop',
] %}

{% for family in families -%}
select {{ columns | join(', ') }}
from {{ ref('int_insight_signals__' ~ family) }}
{% if not loop.last %}union all
{% endif %}
{%- endfor %}
