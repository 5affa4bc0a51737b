{#- Generic tests (unique, not_null, accepted_values...) of the large incremental models check the
    rows the last run wrote, unless full checks are due (macros/incremental.sql full_checks()):
    in a test's YAML, `config: {where: "latest_batch(<stamp column>)"}`. Any other `where` keeps
    dbt's meaning. Overrides dbt's get_where_subquery for PostgreSQL. -#}
{% macro postgres__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where and where.startswith('latest_batch(') -%}
        {%- set stamp = where[13:-1] | trim -%}
        {%- if full_checks() -%}
            {% do return(relation) %}
        {%- endif -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ stamp }} >= {{ last_run_of(relation) }}) dbt_subquery
        {%- endset -%}
        {% do return(filtered) %}
    {%- elif where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {% do return(filtered) %}
    {%- else -%}
        {% do return(relation) %}
    {%- endif -%}
{%- endmacro %}
