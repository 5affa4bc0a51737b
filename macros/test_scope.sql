{#- Generic tests (unique, not_null, accepted_values...) of the large incremental models check the
    rows the last run wrote, unless full checks are due (macros/incremental.sql full_checks()):
    in a test's YAML, `config: {where: "latest_batch(<stamp column>)"}`.

    Views over large tables (int_metrics__web_traffic_daily, int_metrics__attributed_daily,
    int_metrics__unioned_daily) write nothing, so their tests check the stores and days their
    inputs' last run wrote: `config: {where: "latest_input_days(<model>:<stamp>:<date column>, ...)"}`
    keeps the view's rows whose store_id is among, and whose `date` is among, those of the input
    rows stamped by the input's last run. The bounds are arrays computed once, so PostgreSQL
    pushes them into the view down to the input's (store_id, date) index instead of aggregating
    its whole history. `latest_input_days(...) and <condition>` narrows that incremental scope
    further (full checks still read every row). Any other `where` keeps dbt's meaning. Overrides
    dbt's get_where_subquery for PostgreSQL. -#}
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
    {%- elif where and where.startswith('latest_input_days(') -%}
        {%- if full_checks() or not execute -%}
            {% do return(relation) %}
        {%- endif -%}
        {%- set close = where.find(')') -%}
        {%- set also = where[close + 1:] | trim -%}
        {%- if also and not also.startswith('and ') -%}
            {{ exceptions.raise_compiler_error("latest_input_days(...): only 'and <condition>' may follow, got '" ~ also ~ "'") }}
        {%- endif -%}
        {%- set stores = [] -%}
        {%- set days = [] -%}
        {%- for spec in where[18:close].split(',') -%}
            {%- set parts = spec.split(':') | map('trim') | list -%}
            {%- if parts | length != 3 -%}
                {{ exceptions.raise_compiler_error("latest_input_days: expected <model>:<stamp>:<date column>, got '" ~ spec ~ "'") }}
            {%- endif -%}
            {%- set input = model_relation(parts[0]) -%}
            {%- set batch = input ~ ' where ' ~ parts[1] ~ ' >= ' ~ last_run_of(input) -%}
            {%- do stores.append('select distinct store_id from ' ~ batch) -%}
            {%- do days.append('select distinct ' ~ parts[2] ~ ' from ' ~ batch) -%}
        {%- endfor -%}
        {%- set filtered -%}
            (select * from {{ relation }}
             where store_id = any(array({{ stores | join(' union ') }}))
               and date = any(array({{ days | join(' union ') }})) {{ also }}) dbt_subquery
        {%- endset -%}
        {% do return(filtered) %}
    {%- else -%}
        {% do return(where_subquery(relation, where)) %}
    {%- endif -%}
{%- endmacro %}

{#- dbt's own meaning of a test's `where` (both engines): the rows of relation it keeps. -#}
{% macro where_subquery(relation, where) -%}
    {%- if not where -%}
        {% do return(relation) %}
    {%- endif -%}
    {%- set filtered -%}
        (select * from {{ relation }} where {{ where }}) dbt_subquery
    {%- endset -%}
    {% do return(filtered) %}
{%- endmacro %}

{#- The relation of a model of this project, by name (from the graph, so a test's `where` can
    name an input without a ref() that dbt would have to know at parse time). -#}
{% macro model_relation(name) -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == name -%}
        {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("model_relation: no model named " ~ name) }}
{%- endmacro %}

{#- Spark rebuilds every model whole (README "Spark"), so every test checks every row: the two
    scoped `where`s above keep the whole relation; any other `where` keeps dbt's meaning. -#}
{% macro spark__get_where_subquery(relation) -%}
    {%- set where = config.get('where') or '' -%}
    {%- if where.startswith('latest_batch(') or where.startswith('latest_input_days(') -%}
        {% do return(relation) %}
    {%- endif -%}
    {% do return(where_subquery(relation, where)) %}
{%- endmacro %}
