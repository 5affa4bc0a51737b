{#-
  Helpers of models/marts/insights/fct_insight_signals.sql (issue 7).

  Every threshold of the signals is a dbt var read with a default here, so that
  dbt_project.yml does not have to list them: override with `--vars` or in dbt_project.yml.
-#}

{#- name -> default of every threshold var of fct_insight_signals (documented in its YAML). -#}
{% macro insight_signal_var_defaults() -%}
    {{ return({
        'insight_revenue_change_pct': 15,
        'insight_revenue_min_share_pct': 5,
        'insight_min_cost_share_pct': 5,
        'insight_marginal_cost_increase_pct': 20,
        'insight_marginal_roas_max': 1,
        'insight_budget_under_pct': 80,
        'insight_budget_over_pct': 120,
        'insight_budget_min_days_elapsed': 7,
        'insight_source_share_pct': 40,
        'insight_source_min_sources': 3,
        'insight_sessions_drop_z': 2,
        'insight_sessions_min_weeks': 4,
        'insight_sessions_max_weeks': 8,
        'insight_sessions_min_weekly': 20,
        'insight_severity_high_pct': 10,
        'insight_severity_medium_pct': 3,
    }) }}
{%- endmacro %}

{#- A threshold var as a SQL numeric literal: var(name, default), validated as a number so a
    bad --vars value fails the compile instead of producing odd SQL. -#}
{% macro insight_var(name) -%}
    {%- set defaults = insight_signal_var_defaults() -%}
    {%- if name not in defaults -%}
        {{ exceptions.raise_compiler_error("unknown insight signal var " ~ name) }}
    {%- endif -%}
    {%- set value = var(name, defaults[name]) -%}
    {%- if value is string -%}
        {%- set value = value | trim -%}
    {%- endif -%}
    {%- if not modules.re.match('^-?[0-9]+(\.[0-9]+)?$', value | string) -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " must be a number, got " ~ value) }}
    {%- endif -%}
    ({{ value }})::numeric
{%- endmacro %}

{#- One evidence figure: {"id", "label", "value", "unit"}; value rounded to `places`.
    unit: currency | percent | ratio | count | days | score (`unit_sql`: a SQL expression instead). -#}
{% macro insight_figure(id, label, value, unit, places=2, unit_sql=none) -%}
    jsonb_build_object('id', '{{ id }}', 'label', '{{ label }}', 'value', round(({{ value }})::numeric, {{ places }}), 'unit', {{ unit_sql if unit_sql else "'" ~ unit ~ "'" }})
{%- endmacro %}

{#- The thresholds of a signal as a JSON object {var name: value}. -#}
{% macro insight_thresholds(names) -%}
    jsonb_build_object(
    {%- for name in names %}
        '{{ name }}', {{ insight_var(name) }}{% if not loop.last %},{% endif %}
    {%- endfor %}
    )
{%- endmacro %}
