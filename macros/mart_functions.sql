{#-
  SQL functions of the marts schema that the insight service calls instead of re-implementing the
  rules in Python (documented in macros/mart_functions.yml). Installed by on-run-start, so they exist
  for every run, including `dbt build --select` of a single model and incremental runs.
-#}

{#- The schema the functions live in: the marts schema of the target (macros/generate_schema_name.sql). -#}
{% macro mart_functions_schema() -%}
    {{ return(generate_schema_name('marts', none) | trim) }}
{%- endmacro %}

{#- on-run-start: create or replace the functions. Their bodies are the macros the models inline
    (safe_ratio), so SQL and function cannot drift; `language sql immutable parallel safe` lets
    PostgreSQL inline a call. `create or replace` keeps callers running during a build. -#}
{% macro create_mart_functions() -%}
    {{ return(adapter.dispatch('create_mart_functions', 'marketing_insights')()) }}
{%- endmacro %}
{#- Spark: nothing to do (PostgreSQL only). -#}
{% macro spark__create_mart_functions() %}{% endmacro %}
{% macro default__create_mart_functions() -%}
{%- set schema = '"' ~ mart_functions_schema() ~ '"' -%}
create schema if not exists {{ schema }};

create or replace function {{ schema }}.safe_ratio(numerator numeric, denominator numeric)
returns numeric
language sql immutable parallel safe
as $safe_ratio$
    select {{ safe_ratio('numerator', 'denominator') }}
$safe_ratio$;

create or replace function {{ schema }}.freshness_status(
    age_hours double precision, warn_after_hours integer, error_after_hours integer)
returns text
language sql immutable parallel safe
as $freshness_status$
    select {{ freshness_status('age_hours', 'warn_after_hours', 'error_after_hours') }}
$freshness_status$;
{%- endmacro %}

{#- The freshness rule: `error` when the age is unknown or above error_after, `warn` above
    warn_after, else `ok` (thresholds excluded). One definition for mart_source_freshness and the
    freshness_status function. -#}
{% macro freshness_status(age_hours, warn_after_hours, error_after_hours) -%}
    (case
        when ({{ age_hours }}) is null or ({{ age_hours }}) > ({{ error_after_hours }}) then 'error'
        when ({{ age_hours }}) > ({{ warn_after_hours }}) then 'warn'
        else 'ok'
    end)
{%- endmacro %}
