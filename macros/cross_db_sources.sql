{#-
  What PostgreSQL and Spark SQL spell differently, for the content, metrics-source, quality,
  freshness and dimension models (same pattern as macros/cross_db.sql: `default__` is the
  warehouse's SQL, `spark__` Spark's).
-#}

{#- Post-hook of an incremental model: record its run watermark (PostgreSQL only: Spark rebuilds
    the model whole and keeps no watermarks). -#}
{% macro run_watermark_post_hook() -%}
    {{ return(adapter.dispatch('run_watermark_post_hook', 'marketing_insights')()) }}
{%- endmacro %}
{% macro default__run_watermark_post_hook() %}{{ record_run_watermark() }}{% endmacro %}
{% macro spark__run_watermark_post_hook() %}{{ return(spark_release_batch()) }}{% endmacro %}

{#- Seconds between two instants, as numeric: extract(epoch from interval) does not exist on Spark. -#}
{% macro epoch_seconds_between(later, earlier) -%}
    {{ return(adapter.dispatch('epoch_seconds_between', 'marketing_insights')(later, earlier)) }}
{%- endmacro %}
{% macro default__epoch_seconds_between(later, earlier) -%}
    extract(epoch from ({{ later }} - {{ earlier }}))
{%- endmacro %}
{% macro spark__epoch_seconds_between(later, earlier) -%}
    ((unix_micros({{ later }}) - unix_micros({{ earlier }})) / 1000000.0)
{%- endmacro %}

{#- The freshness rule applied: the marts' freshness_status function on PostgreSQL; Spark has no
    SQL functions, so the rule's expression (macros/mart_functions.sql) is inlined. -#}
{% macro freshness_status_call(age_hours, warn_after_hours, error_after_hours) -%}
    {{ return(adapter.dispatch('freshness_status_call', 'marketing_insights')(
        age_hours, warn_after_hours, error_after_hours)) }}
{%- endmacro %}
{% macro default__freshness_status_call(age_hours, warn_after_hours, error_after_hours) -%}
{{ mart_functions_schema() }}.freshness_status(
        {{ age_hours }},
        {{ warn_after_hours }}, {{ error_after_hours }}
    )
{%- endmacro %}
{% macro spark__freshness_status_call(age_hours, warn_after_hours, error_after_hours) -%}
{{ freshness_status(age_hours, warn_after_hours, error_after_hours) }}
{%- endmacro %}

{#- An exchange rate as exact decimal: unconstrained `numeric` on PostgreSQL; Spark's bare
    `numeric` is decimal(10,0), so the fx_rates seed's own type decimal(20,10) there. -#}
{% macro fx_rate_type() %}{{ return(adapter.dispatch('fx_rate_type', 'marketing_insights')()) }}{% endmacro %}
{% macro default__fx_rate_type() %}numeric{% endmacro %}
{% macro spark__fx_rate_type() %}decimal(20,10){% endmacro %}
