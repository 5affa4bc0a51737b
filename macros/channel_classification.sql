{#- Compiles the channel_mapping seed into one CASE expression (first matching rule by
    priority wins). Compiling beats a per-row lateral join on millions of sessions.
    Arguments are SQL expressions for the already normalised fields. -#}
{% macro classify_channel(utm_medium, utm_source, referrer_host, landing_path, has_utm, has_referrer) %}
    {%- set mapping = ref('channel_mapping') -%}
    {%- if not execute -%}
        {{ return("null::" ~ text_type()) }}
    {%- endif -%}
    {%- set rules = run_query(
        "select channel, utm_medium_regex, utm_source_regex, referrer_host_regex, landing_path_regex, has_utm, has_referrer from "
        ~ mapping ~ " order by priority") -%}
    case
    {%- for rule in rules.rows %}
        {%- set conditions = [] -%}
        {%- for value, column in [(rule['utm_medium_regex'], utm_medium), (rule['utm_source_regex'], utm_source),
                                  (rule['referrer_host_regex'], referrer_host),
                                  (rule['landing_path_regex'], landing_path)] -%}
            {%- if value %}{% do conditions.append(regex_matches(column, value) | trim) %}{% endif -%}
        {%- endfor -%}
        {%- for flag, column in [(rule['has_utm'], has_utm), (rule['has_referrer'], has_referrer)] -%}
            {%- if flag is not none %}{% do conditions.append(("" if flag else "not ") ~ column) %}{% endif -%}
        {%- endfor %}
        when {{ conditions | join(" and ") if conditions else "true" }} then {{ sql_literal(rule['channel']) }}
    {%- endfor %}
        else 'unclassified'
    end
{% endmacro %}

{% macro sql_literal(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{#- Whether any channel_mapping rule reads the landing path (then it is part of the distinct
    rule inputs int_sessions classifies; otherwise leaving it out keeps those few). -#}
{% macro channel_rules_read_landing_path() %}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set result = run_query("select count(*) from " ~ ref('channel_mapping')
                               ~ " where coalesce(landing_path_regex, '') <> ''") -%}
    {{ return(result.columns[0].values()[0] | int > 0) }}
{% endmacro %}

{#- The part of a session's landing path its channel and source can depend on: the whole path
    when a channel rule reads it, else only a /blog/<slug> landing (an article's), else ''. -#}
{% macro session_lookup_path(path) -%}
    {%- if channel_rules_read_landing_path() -%}
    coalesce({{ path }}, '')
    {%- else -%}
    coalesce(case when {{ path }} like '/blog/%' then {{ path }} end, '')
    {%- endif -%}
{%- endmacro %}
