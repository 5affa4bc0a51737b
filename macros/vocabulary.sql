{#-
  The project's vocabulary (seeds/channels.csv, seeds/attribution_models.csv) where SQL must spell
  a list out literally (one column per model...). Tests of a column use accepted_seed_values instead.
-#}

{#- The values of a seed column in the seed's sort_order, read when the node is executed (the ref
    makes the seed a parent of the caller). At parse time, and in the offline lint, one placeholder
    value keeps the SQL built around the list well-formed. -#}
{% macro seed_values(seed_name, field, where='true') -%}
    {%- set relation = ref(seed_name) -%}
    {%- if not execute -%}
        {{ return([field]) }}
    {%- endif -%}
    {%- set result = run_query('select ' ~ field ~ ' from ' ~ relation ~ ' where ' ~ where ~ ' order by sort_order') -%}
    {{ return(result.columns[0].values() | list) }}
{%- endmacro %}

{#- The rule-based attribution models dbt computes (fct_attribution_credits), in seed order. -#}
{% macro attribution_rule_models() -%}
    {{ return(seed_values('attribution_models', 'model', 'is_rule_based')) }}
{%- endmacro %}
