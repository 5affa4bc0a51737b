{#-
  The row checks of the quarantine (contract: raw_sources.md "Bad rows"); macros/staging.sql
  applies them to every delivery (raw_versions) and macros/raw_tables.sql lists them per table.

  Reasons, in order of precedence: null_key, duplicate (an earlier delivery of a key whose
  latest _loaded_at wins), then the table's own checks in the order given; a reference to an
  unknown store or contract (unknown_reference) is found in intermediate
  (int_quality__unknown_references), because a staging model reads its own source only.
-#}

{% macro row_key(key_columns) -%}
    {%- for col in key_columns -%}
        coalesce({{ col }}::{{ text_type() }}, '<null>'){% if not loop.last %} || '|' || {% endif %}
    {%- endfor -%}
{%- endmacro %}

{#- A row cannot describe a moment after it was delivered: "future" is judged against the
    row's own _loaded_at (or the build start, whichever is earlier), plus a tolerance. This
    keeps backfilled history valid and makes the rule independent of when dbt runs. -#}
{% macro future_cutoff() -%}
    (least(coalesce(_loaded_at, '{{ run_started_at.isoformat() }}'::{{ tstz_type() }}), '{{ run_started_at.isoformat() }}'::{{ tstz_type() }})
     + interval '{{ var("future_tolerance_hours") }} hours')
{%- endmacro %}

{#- Check builders: each returns [reason, condition that marks the row bad, SQL text naming the column and value]. -#}
{#- instant: the column is a timestamptz, printed as PostgreSQL prints it on every adapter. -#}
{% macro dq_value(column, instant=false) -%}
    {%- set as_text = instant_text(column) if instant else column ~ '::' ~ text_type() -%}
    '{{ column }} = ' || coalesce({{ sql_quote(as_text) }}, 'null')
{%- endmacro %}

{% macro enum_check(column, allowed) -%}
    {%- set condition = "coalesce(lower(trim(" ~ column ~ ")), '') not in ('" ~ (allowed | join("', '")) ~ "')" -%}
    {%- set details = dq_value(column) ~ " || ' is not one of " ~ (allowed | join(", ")) ~ "'" -%}
    {{ return(['unknown_enum', condition, details]) }}
{%- endmacro %}

{% macro negative_check(columns) -%}
    {%- set conditions = [] -%}
    {%- set details = [] -%}
    {%- for col in columns -%}
        {%- do conditions.append(col ~ " < 0") -%}
        {%- do details.append("when " ~ col ~ " < 0 then " ~ dq_value(col)) -%}
    {%- endfor -%}
    {{ return(['negative_value', "(" ~ (conditions | join(" or ")) ~ ")",
               "(case " ~ (details | join(" ")) ~ " end) || ' is negative'"]) }}
{%- endmacro %}

{% macro future_check(column, is_date=false) -%}
    {%- if is_date -%}
        {%- set condition = column ~ " > (" ~ future_cutoff() ~ ")::date" -%}
    {%- else -%}
        {%- set condition = column ~ " > " ~ future_cutoff() -%}
    {%- endif -%}
    {{ return(['future_timestamp', condition, dq_value(column, instant=not is_date) ~ " || ' is in the future'"]) }}
{%- endmacro %}

{% macro missing_check(column) -%}
    {{ return(['missing_value', column ~ " is null", "'" ~ column ~ " is null'"]) }}
{%- endmacro %}

{#- Details of an unknown_reference: the column, its value, and what it should name. -#}
{% macro unknown_reference_details(column, key_column) -%}
    {{ dq_value(column) }} || ' is not a known {{ key_column }}'
{%- endmacro %}
