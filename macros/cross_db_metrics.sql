{#-
  Dialect differences of the metrics, benchmark, budget and insight-signal models (README "Spark");
  same pattern as macros/cross_db.sql: `default__` is the warehouse's SQL, `spark__` Spark's.
-#}

{#- count(distinct text): PostgreSQL compares byte-wise (collate "C", macros/metrics.sql); Spark has no
    collate there. -#}
{% macro count_distinct_text_sql(column) -%}
    {{ return(adapter.dispatch('count_distinct_text_sql', 'marketing_insights')(column)) }}
{%- endmacro %}
{% macro default__count_distinct_text_sql(column) %}count(distinct ({{ column }}) collate "C"){% endmacro %}
{% macro spark__count_distinct_text_sql(column) %}count(distinct ({{ column }})){% endmacro %}

{#- Operand type of safe_ratio: PostgreSQL's unbounded numeric; Spark's bare decimal is decimal(10,0), so a
    decimal whose quotient keeps 14+ places (rounded to 4 afterwards). -#}
{% macro ratio_operand_type() -%}
    {{ return(adapter.dispatch('ratio_operand_type', 'marketing_insights')()) }}
{%- endmacro %}
{% macro default__ratio_operand_type() %}numeric{% endmacro %}
{% macro spark__ratio_operand_type() %}decimal(20,6){% endmacro %}

{#- A benchmarked metric's value (fct_benchmark_comparison): numeric / a decimal holding every
    benchmarkable column of fct_unified_metrics (at most numeric(20,4)). -#}
{% macro benchmark_value_type() -%}
    {{ return(adapter.dispatch('benchmark_value_type', 'marketing_insights')()) }}
{%- endmacro %}
{% macro default__benchmark_value_type() %}numeric{% endmacro %}
{% macro spark__benchmark_value_type() %}decimal(20,4){% endmacro %}

{#- date_spine's rows: generate_series / explode(sequence()) (also inside `cross join lateral`). -#}
{% macro date_spine_sql(start_expr, end_expr, unit, alias) -%}
    {{ return(adapter.dispatch('date_spine_sql', 'marketing_insights')(start_expr, end_expr, unit, alias)) }}
{%- endmacro %}
{% macro default__date_spine_sql(start_expr, end_expr, unit, alias) -%}
    (select spine::date as {{ alias }}
     from generate_series(({{ start_expr }})::timestamp, ({{ end_expr }})::timestamp,
                          interval '1 {{ unit }}') as spine)
{%- endmacro %}
{% macro spark__date_spine_sql(start_expr, end_expr, unit, alias) -%}
    (select explode(sequence(({{ start_expr }})::date, ({{ end_expr }})::date, interval 1 {{ unit }})) as {{ alias }})
{%- endmacro %}

{#- Post-hook of the reopened_keys models: the run watermark table (INSERT ... ON CONFLICT) exists only
    for PostgreSQL's incremental runs; Spark rebuilds whole and records nothing. -#}
{% macro run_watermark_hook() -%}
    {{ return(adapter.dispatch('run_watermark_hook', 'marketing_insights')()) }}
{%- endmacro %}
{% macro default__run_watermark_hook() %}{{ return(record_run_watermark()) }}{% endmacro %}
{% macro spark__run_watermark_hook() %}{{ return(spark_release_batch()) }}{% endmacro %}

{#- Post-hook of fct_benchmark_comparison: the PostgreSQL functions the service calls
    (benchmark_functions_ddl); Spark has none. -#}
{% macro benchmark_functions_hook(schema) -%}
    {{ return(adapter.dispatch('benchmark_functions_hook', 'marketing_insights')(schema)) }}
{%- endmacro %}
{% macro default__benchmark_functions_hook(schema) %}{{ return(benchmark_functions_ddl(schema)) }}{% endmacro %}
{% macro spark__benchmark_functions_hook(schema) %}{{ return('') }}{% endmacro %}

{#- Whether every test checks every row (full_checks): Spark keeps no run watermarks, so always. -#}
{% macro checks_everything() %}{{ return(adapter.dispatch('checks_everything', 'marketing_insights')()) }}{% endmacro %}
{% macro default__checks_everything() %}{{ return(false) }}{% endmacro %}
{% macro spark__checks_everything() %}{{ return(true) }}{% endmacro %}

{#- ISO day of the week (Monday 1 ... Sunday 7): extract(isodow) / extract(dow_iso). -#}
{% macro iso_dow(expression) %}{{ return(adapter.dispatch('iso_dow', 'marketing_insights')(expression)) }}{% endmacro %}
{% macro default__iso_dow(expression) %}extract(isodow from {{ expression }}){% endmacro %}
{% macro spark__iso_dow(expression) %}extract(dow_iso from {{ expression }}){% endmacro %}

{#- Enforced contracts on Spark: the YAML `data_type`s are PostgreSQL's names (text, timestamptz, double
    precision, jsonb, unbounded numeric); dbt casts nulls to them to check the model's columns, so they
    are translated into Spark's before it does (dbt's own macro otherwise). -#}
{% macro spark__get_empty_schema_sql(columns) %}
    {%- set names = {'text': 'string', 'timestamptz': 'timestamp', 'double precision': 'double',
                     'jsonb': 'string', 'numeric': 'decimal(38,10)'} -%}
    {%- set translated = {} -%}
    {%- for key in columns -%}
        {%- set column = columns[key].copy() if columns[key] is mapping else columns[key] -%}
        {%- if column['data_type'] is defined and column['data_type'] is not none -%}
            {%- do column.update({'data_type': names.get(column['data_type'].strip().lower(), column['data_type'])}) -%}
        {%- endif -%}
        {%- do translated.update({key: column}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(translated)) }}
{% endmacro %}

{#- A numeric without precision (a contract column declared `numeric`): PostgreSQL's unbounded numeric;
    Spark's bare decimal is decimal(10,0), so decimal(38,10) (what the contract's `numeric` means there). -#}
{% macro unbounded_numeric_type() -%}
    {{ return(adapter.dispatch('unbounded_numeric_type', 'marketing_insights')()) }}
{%- endmacro %}
{% macro default__unbounded_numeric_type() %}numeric{% endmacro %}
{% macro spark__unbounded_numeric_type() %}decimal(38,10){% endmacro %}

{#- A value converted with an FX rate (benchmark_converted_value). Spark sizes a decimal product from
    its operands' precision, and a CASE's type from its branches', and cuts the scale when either passes
    38: a decimal(37,4) value times a decimal(20,10) rate came out with 5 places, and rounding that to 4
    rounded twice. On Spark the value goes in as decimal(24,8): the product keeps 11 places. -#}
{% macro fx_operand(value) -%}
    {{ return(adapter.dispatch('fx_operand', 'marketing_insights')(value)) }}
{%- endmacro %}
{% macro default__fx_operand(value) %}({{ value }}){% endmacro %}
{% macro spark__fx_operand(value) %}cast(({{ value }}) as decimal(24,8)){% endmacro %}

{#- numerator / denominator rounded to `places` (at most 12), the same on both engines. On Spark the
    operands go in as decimal(24,8) over decimal(20,10), so that the quotient keeps 12 places before
    the rounding; as they come, Spark may cut it to 6 places. -#}
{% macro precise_quotient(numerator, denominator, places) -%}
    {{ return(adapter.dispatch('precise_quotient', 'marketing_insights')(numerator, denominator, places)) }}
{%- endmacro %}
{% macro default__precise_quotient(numerator, denominator, places) -%}
    round(({{ numerator }}) / ({{ denominator }}), {{ places }})
{%- endmacro %}
{% macro spark__precise_quotient(numerator, denominator, places) -%}
    round(cast(({{ numerator }}) as decimal(24,8)) / cast(({{ denominator }}) as decimal(20,10)), {{ places }})
{%- endmacro %}

{#- part as a percentage of whole, rounded to `places`. On Spark the operands go in narrow enough
    (decimal(28,10) over decimal(24,4)) for the quotient to keep 12 places before the rounding, as
    PostgreSQL's keeps 16 significant digits; wider ones keep 6 and the 4-place rounding rounds twice. -#}
{% macro percent_of(part, whole, places) -%}
    {{ return(adapter.dispatch('percent_of', 'marketing_insights')(part, whole, places)) }}
{%- endmacro %}
{% macro default__percent_of(part, whole, places) %}round({{ part }} * 100 / {{ whole }}, {{ places }}){% endmacro %}
{% macro spark__percent_of(part, whole, places) -%}
    round(cast({{ part }} as decimal(28,10)) * 100 / cast({{ whole }} as decimal(24,4)), {{ places }})
{%- endmacro %}
