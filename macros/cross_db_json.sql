{#-
  The insight signals' JSON evidence on both engines (README "Spark"). PostgreSQL builds jsonb.
  Spark builds VARIANT values: to_variant_object keeps null members (to_json of a struct drops
  them) and an array of variants may hold objects of different shapes (an array of structs may
  not); the evidence column is then the variant's JSON text. Objects and arrays are call blocks,
  so that nested evidence reads like the SQL it renders:
      {% call json_object() %} 'key', value, 'other', other_value {% endcall %}
  A member's value must have a type on Spark (`null::date`, not a bare `null`).
-#}

{#- An object of 'key', value pairs (the call block's body). -#}
{% macro json_object() -%}
    {{ adapter.dispatch('json_object_sql', 'marketing_insights')(caller()) }}
{%- endmacro %}
{% macro default__json_object_sql(members) %}jsonb_build_object({{ members }}){% endmacro %}
{% macro spark__json_object_sql(members) %}to_variant_object(named_struct({{ members }})){% endmacro %}

{#- An array of the call block's values (objects, or values of one type). -#}
{% macro json_array() -%}
    {{ adapter.dispatch('json_array_sql', 'marketing_insights')(caller()) }}
{%- endmacro %}
{% macro default__json_array_sql(items) %}jsonb_build_array({{ items }}){% endmacro %}
{% macro spark__json_array_sql(items) %}array({{ items }}){% endmacro %}

{#- Aggregate: the values of the group's rows that pass `filter`, as an array ordered by `order_by`;
    null when no row passes (as jsonb_agg). -#}
{% macro json_agg_ordered(value, order_by, filter) -%}
    {{ return(adapter.dispatch('json_agg_ordered', 'marketing_insights')(value, order_by, filter)) }}
{%- endmacro %}
{% macro default__json_agg_ordered(value, order_by, filter) -%}
    jsonb_agg({{ value }} order by {{ order_by }}) filter (where {{ filter }})
{%- endmacro %}
{% macro spark__json_agg_ordered(value, order_by, filter) -%}
    (case when count(1) filter (where {{ filter }}) > 0 then
        transform(array_sort(collect_list(named_struct('o', {{ order_by }}, 'v', {{ value }}))
                             filter (where {{ filter }})), item -> item.v)
    end)
{%- endmacro %}

{#- The column value of an object built by json_object, with the members of a second object added
    (the second's win on a shared key on PostgreSQL; the signals share none): jsonb, or JSON text on
    Spark (both objects written as text and joined, the first never empty). -#}
{% macro json_merge_objects(left, right) -%}
    {{ return(adapter.dispatch('json_merge_objects', 'marketing_insights')(left, right)) }}
{%- endmacro %}
{% macro default__json_merge_objects(left, right) %}(({{ left }}) || ({{ right }}))::jsonb{% endmacro %}
{% macro spark__json_merge_objects(left, right) -%}
    concat(substr(to_json({{ left }}), 1, length(to_json({{ left }})) - 1), ',', substr(to_json({{ right }}), 2))
{%- endmacro %}

{#- Integers start..stop (inclusive) as a FROM item `alias (column)`. -#}
{% macro integer_series(start, stop, alias, column) -%}
    {{ return(adapter.dispatch('integer_series', 'marketing_insights')(start, stop, alias, column)) }}
{%- endmacro %}
{% macro default__integer_series(start, stop, alias, column) -%}
    generate_series({{ start }}, {{ stop }}) as {{ alias }} ({{ column }})
{%- endmacro %}
{% macro spark__integer_series(start, stop, alias, column) -%}
    (select explode(sequence({{ start }}, {{ stop }})) as {{ column }}) as {{ alias }}
{%- endmacro %}
