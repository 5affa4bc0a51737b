{#- The default target writes each layer to its own plain schema (raw, staging, marts...),
    as the operations contract requires (the Spark target too: one database per layer). Any other target prefixes them with its own schema,
    so several analysts can build side by side in one database. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.name in ('warehouse', 'spark') -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
