{#-
  What PostgreSQL and Spark SQL spell differently in the sessions and attribution models and their
  tests (same pattern as macros/cross_db.sql): `default__` is the warehouse's SQL, `spark__` Spark's.
-#}

{#- A planner setting of the model's transaction (`set local`): PostgreSQL only. -#}
{% macro local_planner_setting(setting) -%}
    {{ return(adapter.dispatch('local_planner_setting', 'marketing_insights')(setting)) }}
{%- endmacro %}
{% macro default__local_planner_setting(setting) %}set local {{ setting }}{% endmacro %}
{% macro spark__local_planner_setting(setting) %}{% endmacro %}

{#- Fractional days from `earlier` to `later` (two instants): extract(epoch ...) does not exist on
    Spark; there the exact microsecond difference divided in double precision. -#}
{% macro days_between_instants(later, earlier) -%}
    {{ return(adapter.dispatch('days_between_instants', 'marketing_insights')(later, earlier)) }}
{%- endmacro %}
{% macro default__days_between_instants(later, earlier) -%}
    (extract(epoch from {{ later }} - {{ earlier }}) / 86400.0)::float8
{%- endmacro %}
{% macro spark__days_between_instants(later, earlier) -%}
    (cast(unix_micros({{ later }}) - unix_micros({{ earlier }}) as double) / 86400000000.0)
{%- endmacro %}

{#- A double as a decimal the way PostgreSQL casts float8 to numeric (15 significant digits);
    Spark's `decimal` alone is decimal(10,0). `spark_type` is a decimal type wide enough for the value. -#}
{% macro float_to_numeric(expression, spark_type='decimal(38,18)') -%}
    {{ return(adapter.dispatch('float_to_numeric', 'marketing_insights')(expression, spark_type)) }}
{%- endmacro %}
{% macro default__float_to_numeric(expression, spark_type) %}({{ expression }})::numeric{% endmacro %}
{% macro spark__float_to_numeric(expression, spark_type) -%}
    cast(format_string('%.15g', {{ expression }}) as {{ spark_type }})
{%- endmacro %}

{#- `string_agg(value, delimiter order by ...) filter (where ...)`: Spark has no ordered string
    aggregate with a filter; there the filtered values sorted by the order keys (ascending) and joined.
    `order_by` is a list of expressions. -#}
{% macro ordered_string_agg(value, delimiter, order_by, filter=none) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'marketing_insights')(value, delimiter, order_by, filter)) }}
{%- endmacro %}
{% macro default__ordered_string_agg(value, delimiter, order_by, filter) -%}
    string_agg({{ value }}, {{ delimiter }} order by {{ order_by | join(', ') }}){% if filter %} filter (where {{ filter }}){% endif %}
{%- endmacro %}
{% macro spark__ordered_string_agg(value, delimiter, order_by, filter) -%}
    nullif(array_join(transform(array_sort(collect_list(
        {%- if filter %} case when {{ filter }} then {% endif -%}
        named_struct({% for key in order_by %}'k{{ loop.index }}', {{ key }}, {% endfor %}'v', {{ value }})
        {%- if filter %} end{% endif -%}
    )), s -> s.v), {{ delimiter }}), '')
{%- endmacro %}

{#- `expression` matches the regular expression `pattern` (a value, written as a literal here):
    PostgreSQL's `~`; Spark's `rlike` (Java regex), whose string literals read backslash escapes. -#}
{% macro regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'marketing_insights')(expression, pattern)) }}
{%- endmacro %}
{% macro default__regex_matches(expression, pattern) %}{{ expression }} ~ {{ sql_literal(pattern) }}{% endmacro %}
{% macro spark__regex_matches(expression, pattern) -%}
    {{ expression }} rlike '{{ pattern | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}

{#- A delimited text split into an array of its parts (`delimiter` a literal without regex
    characters: Spark's split reads a regular expression). -#}
{% macro split_to_array(expression, delimiter) -%}
    {{ return(adapter.dispatch('split_to_array', 'marketing_insights')(expression, delimiter)) }}
{%- endmacro %}
{% macro default__split_to_array(expression, delimiter) -%}
    string_to_array({{ expression }}, {{ delimiter }})
{%- endmacro %}
{% macro spark__split_to_array(expression, delimiter) %}split({{ expression }}, {{ delimiter }}){% endmacro %}

{#- An array literal of the given SQL values (a comma-separated list). -#}
{% macro array_of(values) %}{{ return(adapter.dispatch('array_of', 'marketing_insights')(values)) }}{% endmacro %}
{% macro default__array_of(values) %}array[{{ values }}]{% endmacro %}
{% macro spark__array_of(values) %}array({{ values }}){% endmacro %}

{#- The element at 1-based `index` of an array, null when out of range: Spark's element_at fails on 0. -#}
{% macro array_element(array, index) -%}
    {{ return(adapter.dispatch('array_element', 'marketing_insights')(array, index)) }}
{%- endmacro %}
{% macro default__array_element(array, index) %}{{ array }}[{{ index }}]{% endmacro %}
{% macro spark__array_element(array, index) -%}
    (case when {{ index }} between 1 and size({{ array }}) then element_at({{ array }}, {{ index }}) end)
{%- endmacro %}

{#- Join clause: one row per element of `array`, as `alias`.`value_column` with its 1-based position
    `alias`.`position_column` (PostgreSQL's unnest ... with ordinality; a lateral view on Spark). -#}
{% macro unnest_with_position(array, alias, value_column, position_column) -%}
    {{ return(adapter.dispatch('unnest_with_position', 'marketing_insights')(
        array, alias, value_column, position_column)) }}
{%- endmacro %}
{% macro default__unnest_with_position(array, alias, value_column, position_column) -%}
    cross join unnest({{ array }}) with ordinality as {{ alias }}({{ value_column }}, {{ position_column }})
{%- endmacro %}
{% macro spark__unnest_with_position(array, alias, value_column, position_column) -%}
    lateral view inline(transform({{ array }}, (v, i) -> struct(v, i + 1))) {{ alias }} as {{ value_column }}, {{ position_column }}
{%- endmacro %}

{#- A quotient below 10 of two numerics as PostgreSQL computes it for the attribution shares (at
    least 16 significant digits: 20 decimals for these shares, rounded half up). Spark's decimal
    division picks its own scale (0.2 / n has 12 decimals there), so the quotient is rounded to
    `scale` decimals and kept in a decimal that narrow: a wider one would round products with money
    again before they are rounded to the cent. -#}
{% macro fraction_quotient(numerator, denominator, scale=20) -%}
    {{ return(adapter.dispatch('fraction_quotient', 'marketing_insights')(numerator, denominator, scale)) }}
{%- endmacro %}
{% macro default__fraction_quotient(numerator, denominator, scale) %}{{ numerator }} / {{ denominator }}{% endmacro %}
{% macro spark__fraction_quotient(numerator, denominator, scale) -%}
    cast(cast({{ numerator }} as decimal(38,{{ scale }})) / {{ denominator }} as decimal({{ scale + 1 }},{{ scale }}))
{%- endmacro %}

{#- A share below 10 that PostgreSQL keeps as an unconstrained numeric: on Spark, a decimal of 20
    places (the branches of a union then keep that type, and a product with money stays exact). -#}
{% macro fraction_value(expression) -%}
    {{ return(adapter.dispatch('fraction_value', 'marketing_insights')(expression)) }}
{%- endmacro %}
{% macro default__fraction_value(expression) %}{{ expression }}{% endmacro %}
{% macro spark__fraction_value(expression) %}cast({{ expression }} as decimal(21,20)){% endmacro %}

{#- An array without its null elements: Spark's array_remove(array, null) is null. -#}
{% macro array_without_nulls(array) -%}
    {{ return(adapter.dispatch('array_without_nulls', 'marketing_insights')(array)) }}
{%- endmacro %}
{% macro default__array_without_nulls(array) %}array_remove({{ array }}, null){% endmacro %}
{% macro spark__array_without_nulls(array) %}filter({{ array }}, element -> element is not null){% endmacro %}

{#- One row per element of an array, in a select list: unnest / explode. -#}
{% macro unnest_in_select(array) -%}
    {{ return(adapter.dispatch('unnest_in_select', 'marketing_insights')(array)) }}
{%- endmacro %}
{% macro default__unnest_in_select(array) %}unnest({{ array }}){% endmacro %}
{% macro spark__unnest_in_select(array) %}explode({{ array }}){% endmacro %}
