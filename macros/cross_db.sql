{#-
  What PostgreSQL and Spark SQL spell differently (README "Spark", DECISIONLOG "Spark"). Each
  macro dispatches on the adapter: `postgres__`/`default__` is the warehouse's SQL, `spark__`
  Spark's. Spark 4 reads `x::type` casts, FILTER (WHERE), IS DISTINCT FROM and date_trunc as
  PostgreSQL does; only what it does not is here.
-#}

{#- Cast target of text: `text` / `string`. -#}
{% macro text_type() %}{{ return(adapter.dispatch('text_type', 'marketing_insights')()) }}{% endmacro %}
{% macro default__text_type() %}text{% endmacro %}
{% macro spark__text_type() %}string{% endmacro %}

{#- An instant: `timestamptz` / Spark's `timestamp` (an instant shown in the session time zone, UTC). -#}
{% macro tstz_type() %}{{ return(adapter.dispatch('tstz_type', 'marketing_insights')()) }}{% endmacro %}
{% macro default__tstz_type() %}timestamptz{% endmacro %}
{% macro spark__tstz_type() %}timestamp{% endmacro %}

{#- A double: `double precision` / `double`. -#}
{% macro float8_type() %}{{ return(adapter.dispatch('float8_type', 'marketing_insights')()) }}{% endmacro %}
{% macro default__float8_type() %}double precision{% endmacro %}
{% macro spark__float8_type() %}double{% endmacro %}

{#- `materialized` on a CTE that PostgreSQL should compute once (Spark plans CTEs its own way). -#}
{% macro cte_materialized() %}{{ return(adapter.dispatch('cte_materialized', 'marketing_insights')()) }}{% endmacro %}
{% macro default__cte_materialized() %}materialized{% endmacro %}
{% macro spark__cte_materialized() %}{% endmacro %}

{#- Where a raw row lies in its table, to break ties between deliveries of one key at one
    `_loaded_at` (the row written last wins): PostgreSQL's ctid; on Spark the row's position in
    the files as written (monotonically_increasing_id follows file and row order). -#}
{% macro row_position(alias) %}{{ return(adapter.dispatch('row_position', 'marketing_insights')(alias)) }}{% endmacro %}
{% macro default__row_position(alias) %}{{ alias }}.ctid{% endmacro %}
{% macro spark__row_position(alias) %}monotonically_increasing_id(){% endmacro %}

{#- A value as an SQL literal in quotes, quote_literal's text (a backslash is not escaped on Spark). -#}
{% macro sql_quote(expression) -%}
    {{ return(adapter.dispatch('sql_quote', 'marketing_insights')(expression)) }}
{%- endmacro %}
{% macro default__sql_quote(expression) %}quote_literal({{ expression }}){% endmacro %}
{% macro spark__sql_quote(expression) -%}
    (chr(39) || replace({{ expression }}, chr(39), chr(39) || chr(39)) || chr(39))
{%- endmacro %}

{#- An instant as PostgreSQL prints a timestamptz in a UTC session: '2025-07-01 05:00:00+00', with
    the fraction of a second (trailing zeros dropped) when there is one. -#}
{% macro instant_text(expression) -%}
    {{ return(adapter.dispatch('instant_text', 'marketing_insights')(expression)) }}
{%- endmacro %}
{% macro default__instant_text(expression) %}({{ expression }})::text{% endmacro %}
{% macro spark__instant_text(expression) -%}
    (date_format({{ expression }}, 'yyyy-MM-dd HH:mm:ss')
     || coalesce('.' || nullif(regexp_replace(date_format({{ expression }}, 'SSSSSS'), '0+$', ''), ''), '')
     || '+00')
{%- endmacro %}

{#- The IANA time zone names a store's timezone must be one of. -#}
{% macro timezone_names() %}{{ return(adapter.dispatch('timezone_names', 'marketing_insights')()) }}{% endmacro %}
{% macro default__timezone_names() %}select name from pg_timezone_names{% endmacro %}
{% macro spark__timezone_names() %}select name from {{ ref('timezone_names') }}{% endmacro %}

{#- Seeds on Spark: the seeds' `column_types` are written in PostgreSQL's names (text, double
    precision); Spark's seed materialization reads them for its CREATE TABLE and its casts, so they
    are translated in place before it does. -#}
{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- for column, type in column_types.items() -%}
        {%- set spark_names = {'text': 'string', 'double precision': 'double', 'timestamptz': 'timestamp'} -%}
        {%- do column_types.update({column: spark_names.get(type | lower, type)}) -%}
    {%- endfor -%}
    {{ return(dbt.spark__create_csv_table(model, agate_table)) }}
{% endmacro %}

{#- Seed rows on Spark as literals: dbt-spark's `session` method formats bindings without
    escaping quotes, and the seeds' titles and notes hold apostrophes. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column in agate_table.column_names -%}
        {%- do types.append(column_types.get(column, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
            ({%- for value in row -%}
                {%- if value is none -%}cast(null as {{ types[loop.index0] }})
                {%- else -%}cast('{{ (value | string).replace("\\", "\\\\").replace("'", "\\'") }}' as {{ types[loop.index0] }})
                {%- endif -%}{%- if not loop.last -%}, {% endif -%}
            {%- endfor -%}){%- if not loop.last -%},{%- endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) if loop.first -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{#- The staging models of the raw tables that name no store (influencers, outreach, deliveries):
    incremental on PostgreSQL; a table on Spark, which partitions its incremental models by store
    (macros/spark_incremental.sql). They are small. -#}
{% macro incremental_on_postgres() %}{{ return('table' if target.type == 'spark' else 'incremental') }}{% endmacro %}

{#- An instant's wall-clock time in a time zone (a timestamp without zone): `ts at time zone tz`. -#}
{% macro local_time(instant, timezone) -%}
    {{ return(adapter.dispatch('local_time', 'marketing_insights')(instant, timezone)) }}
{%- endmacro %}
{% macro default__local_time(instant, timezone) %}({{ instant }} at time zone {{ timezone }}){% endmacro %}
{% macro spark__local_time(instant, timezone) %}from_utc_timestamp({{ instant }}, {{ timezone }}){% endmacro %}
