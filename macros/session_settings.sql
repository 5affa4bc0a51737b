{#- Per-session PostgreSQL settings of the dbt connections (DECISIONLOG "PostgreSQL settings"),
    run as every model's pre-hook and before every data test (postgres__get_test_sql below):
      work_mem  the dedup, windows and hash joins of a full build sort and hash millions of rows:
                4 MB (the server default) spills them to disk or keeps PostgreSQL from hashing a
                subquery at all; var('dbt_work_mem'), default 256MB per sort or hash node
      maintenance_work_mem  a full build creates indexes on millions of rows: sorted in memory
                instead of on disk (var('dbt_maintenance_work_mem'), default 512MB)
      jit       off: an incremental run is many small queries, and JIT compilation costs each of
                them more than it saves (a full build's big queries gain little from it)
      random_page_cost  1.1: the warehouse is read mostly from memory, so an incremental batch of
                thousands of keys is looked up through the indexes instead of scanning the history
    Only session-level settings: nothing here changes the server. -#}
{% macro session_settings() %}{{ return(adapter.dispatch('session_settings', 'marketing_insights')()) }}{% endmacro %}
{#- Spark: nothing to do (PostgreSQL only). -#}
{% macro spark__session_settings() %}{% endmacro %}
{% macro default__session_settings() -%}
    set work_mem = '{{ var("dbt_work_mem", "256MB") }}';
    set maintenance_work_mem = '{{ var("dbt_maintenance_work_mem", "512MB") }}';
    set jit = off;
    set random_page_cost = 1.1
{%- endmacro %}

{#- Post-hook of every table the build writes: ANALYZE it when it has no statistics yet (a full
    build creates new tables; autovacuum may be off, as on the CI server), so the planner sees
    real row counts instead of guessing joins from page counts. Incremental runs add little
    to a table: they keep its statistics. -#}
{% macro analyze_if_new() %}{{ return(adapter.dispatch('analyze_if_new', 'marketing_insights')()) }}{% endmacro %}
{#- Spark: nothing to do (PostgreSQL only). -#}
{% macro spark__analyze_if_new() %}{% endmacro %}
{% macro default__analyze_if_new() %}
    do $analyze$
    begin
        if (select last_analyze is null and last_autoanalyze is null
            from pg_stat_user_tables where relid = '{{ this.include(database=false) }}'::regclass) then
            execute 'analyze {{ this }}';
        end if;
    end
    $analyze$
{% endmacro %}

{#- Data tests get the same session settings: a test may be the first node on its thread's
    connection, and the full reconciliations group millions of rows. -#}
{% macro postgres__get_test_sql(main_sql, fail_calc, warn_if, error_if, limit) -%}
    {{ session_settings() }};
    {{ default__get_test_sql(main_sql, fail_calc, warn_if, error_if, limit) }}
{%- endmacro %}
