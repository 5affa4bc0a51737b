{#-
  Helpers of the unified-metrics marts (models/intermediate/metrics, models/marts/metrics,
  benchmarks, budget, calendar). Contract: ../shared/contracts/marts.md.
-#}

{#- A ratio that is null, never 0 and never an error, when the denominator is 0 or null
    (marts.md: "A ratio whose denominator is 0 or null is null"). `scale` multiplies the
    numerator first (100 for percentages on a 0-100 scale). -#}
{% macro safe_ratio(numerator, denominator, scale=1) -%}
    (case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else ({{ numerator }})::{{ ratio_operand_type() }} * {{ scale }} / ({{ denominator }})::{{ ratio_operand_type() }}
    end)
{%- endmacro %}

{#- The columns of fct_unified_metrics / int_unified_metrics_daily whose rollup rows are the
    sum of their parts. unique_visitors is deliberately absent: it is a distinct count at
    each row's own grain. -#}
{% macro metrics_additive_columns() -%}
    {{ return(['sessions', 'pageviews', 'session_duration_s_sum', 'bounced_sessions',
               'impressions', 'clicks', 'engagements', 'cost', 'conversions', 'revenue',
               'profit', 'unattributed_conversions', 'unattributed_revenue',
               'unattributed_profit']) }}
{%- endmacro %}

{#- Profit after marketing cost (issue 16): derived per row of fct_unified_metrics from the row's own
    summed profit and cost, so a rollup's value comes from its sums, never from its parts' ratios.
    One definition for the model's SELECT and for the pre-hook that fills the columns in a table built
    before they existed (add_derived_columns). `expression` reads the columns `profit` and `cost`. -#}
{% macro metrics_profit_after_marketing_columns() -%}
    {{ return([
        {'name': 'marketing_profit', 'data_type': 'numeric(18,2)', 'expression': '(profit - cost)', 'not_null': true},
        {'name': 'poas', 'data_type': 'numeric(20,4)', 'expression': 'round(' ~ safe_ratio('profit', 'cost') ~ ', 4)'},
    ]) }}
{%- endmacro %}

{#- The additive columns of the fct_unified_metrics rows: the summed ones, plus marketing_profit,
    which is profit - cost of the row and therefore adds up exactly like its two terms. -#}
{% macro metrics_mart_additive_columns() -%}
    {{ return(metrics_additive_columns() + ['marketing_profit']) }}
{%- endmacro %}

{#- Select list of a rollup's parts, summed: every additive column, plus the bounds of its
    distinct visitors (at least the busiest part's, at most the sum of the parts'). -#}
{% macro rollup_part_sums() -%}
    {%- for column in metrics_mart_additive_columns() %}
        sum({{ column }}) as {{ column }},
    {%- endfor %}
        max(unique_visitors) as max_unique_visitors,
        sum(unique_visitors) as sum_unique_visitors
{%- endmacro %}

{#- True where a rollup row (`rolled`) and its summed parts (`parts`, from rollup_part_sums) do
    not match: a side is missing, an additive column differs, or its distinct visitors lie
    outside the parts' bounds. -#}
{% macro rollup_mismatch(rolled, parts) -%}
    {{ rolled }}.store_id is null
   or {{ parts }}.store_id is null
   {%- for column in metrics_mart_additive_columns() %}
   or {{ rolled }}.{{ column }} is distinct from {{ parts }}.{{ column }}
   {%- endfor %}
   or {{ rolled }}.unique_visitors < {{ parts }}.max_unique_visitors
   or {{ rolled }}.unique_visitors > {{ parts }}.sum_unique_visitors
{%- endmacro %}

{#- Ratio columns of fct_unified_metrics that benchmark_metrics may name (fct_benchmark_comparison
    reads the metric's value from the column of the same name). -#}
{% macro metrics_benchmarkable_columns() -%}
    {{ return(['conversion_rate', 'bounce_rate', 'engagement_rate', 'cpc', 'cpa', 'roas', 'roi',
               'avg_session_duration_s']) }}
{%- endmacro %}

{#- The attribution measures that the `overall` rollup carries for unattributed orders. -#}
{% macro metrics_attributed_columns() -%}
    {{ return(['conversions', 'revenue', 'profit']) }}
{%- endmacro %}

{#- The rollup periods built from days: (period name, date_trunc unit). ISO weeks start on
    Monday, which is what PostgreSQL's date_trunc('week', ...) returns. -#}
{% macro metrics_rollup_periods() -%}
    {{ return([('weekly', 'week'), ('monthly', 'month')]) }}
{%- endmacro %}

{#- First day of the period containing `date_expr` (a date). -#}
{% macro period_start(unit, date_expr) -%}
    (date_trunc('{{ unit }}', ({{ date_expr }})::timestamp)::date)
{%- endmacro %}

{#- Last day of the period containing `date_expr`. -#}
{% macro period_end(unit, date_expr) -%}
    ((date_trunc('{{ unit }}', ({{ date_expr }})::timestamp) + interval '1 {{ unit }}')::date - 1)
{%- endmacro %}

{#- Date spine: one row per `unit` step from start_expr to end_expr (inclusive), as column
    `alias`. Set-returning, use in a FROM clause: `from {{ date_spine(...) }}`. -#}
{% macro date_spine(start_expr, end_expr, unit='day', alias='spine_date') -%}
    {{ date_spine_sql(start_expr, end_expr, unit, alias) }}
{%- endmacro %}

{#- The two families read from large tables, written once: their views select them whole, and
    int_unified_metrics_daily selects only its reopened days (`reopened`: a relation or CTE of
    (store_id, date)) through the tables' (store_id, date) indexes. -#}
{#- count(distinct <text>) compared byte-wise: under the database's deterministic collation equal
    values are the same bytes, so the count is the same, and PostgreSQL sorts C-collated text with
    memcmp and abbreviated keys (the visitor recounts of reopened months ran 25-40 % faster at scale 40). -#}
{% macro count_distinct_text(column) -%}
    {{ count_distinct_text_sql(column) }}
{%- endmacro %}

{% macro metrics_traffic_family(reopened=none) -%}
    select
        sessions.store_id::{{ text_type() }}                                 as store_id,
        sessions.session_date::date                             as date,
        sessions.channel::{{ text_type() }}                                  as channel,
        sessions.source::{{ text_type() }}                                   as source,
        count(*)::bigint                                        as sessions,
        sum(sessions.pageviews)::bigint                         as pageviews,
        -- distinct at this (day, channel, source) grain only: not additive
        {{ count_distinct_text('sessions.visitor_id') }}::bigint as unique_visitors,
        sum(sessions.duration_s)::bigint                        as session_duration_s_sum,
        count(*) filter (where sessions.bounced)::bigint        as bounced_sessions,
        null::bigint                                            as impressions,
        null::bigint                                            as clicks,
        null::bigint                                            as engagements,
        null::numeric(18,2)                                     as cost,
        null::numeric(24,12)                                    as conversions,
        null::numeric(18,2)                                     as revenue,
        null::numeric(18,2)                                     as profit,
        max(sessions.loaded_at)::{{ tstz_type() }}                    as loaded_at,
        null::{{ tstz_type() }}                                       as attributed_at
    from {{ ref('int_sessions') }} as sessions
    {%- if reopened is not none %}
    inner join {{ reopened }} as reopened
        on reopened.store_id = sessions.store_id and reopened.date = sessions.session_date
    {%- endif %}
    where not sessions.is_removed
    group by sessions.store_id, sessions.session_date, sessions.channel, sessions.source
{%- endmacro %}

{% macro metrics_attribution_family(reopened=none) -%}
    select
        credits.store_id::{{ text_type() }}                                  as store_id,
        credits.converted_date::date                            as date,
        -- includes channel `unattributed` (orders without a touch): only the `overall` rollup keeps it
        credits.channel::{{ text_type() }}                                   as channel,
        credits.source::{{ text_type() }}                                    as source,
        null::bigint                                            as sessions,
        null::bigint                                            as pageviews,
        null::bigint                                            as unique_visitors,
        null::bigint                                            as session_duration_s_sum,
        null::bigint                                            as bounced_sessions,
        null::bigint                                            as impressions,
        null::bigint                                            as clicks,
        null::bigint                                            as engagements,
        null::numeric(18,2)                                     as cost,
        sum(credits.credited_conversions)::numeric(24,12)       as conversions,
        sum(credits.credited_revenue)::numeric(18,2)            as revenue,
        sum(credits.credited_profit)::numeric(18,2)             as profit,
        -- when the order row was delivered: the freshness of the conversion (credits only know when dbt ran)
        max(orders.loaded_at)::{{ tstz_type() }}                      as loaded_at,
        max(credits.processed_at)::{{ tstz_type() }}                  as attributed_at
    from {{ ref('fct_attribution_credits') }} as credits
    {%- if reopened is not none %}
    inner join {{ reopened }} as reopened
        on reopened.store_id = credits.store_id and reopened.date = credits.converted_date
    {%- endif %}
    left join {{ ref('int_attribution__conversions') }} as orders on orders.order_id = credits.order_id
    where credits.model = '{{ var("attribution_default_model") }}'
    group by credits.store_id, credits.converted_date, credits.channel, credits.source
{%- endmacro %}
