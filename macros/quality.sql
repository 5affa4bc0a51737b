{#-
  Quarantine machinery shared by every staging model (contract: raw_sources.md "Bad rows").

  checked_source() returns a SELECT of every raw row of one source table plus
    _row_key    the natural key joined with '|' ('<null>' for a missing part)
    _dq_reason  null for a clean, latest row; otherwise why it is excluded
    _dq_details which column/value triggered it
  Reasons, in order of precedence: null_key, duplicate (an earlier delivery of a key
  whose latest _loaded_at wins), then the table's own checks in the order given.
  base_* views select it; stg_* keep `_dq_reason is null`; data_quality_issues keeps the rest.
-#}

{% macro row_key(key_columns) -%}
    {%- for col in key_columns -%}
        coalesce({{ col }}::text, '<null>'){% if not loop.last %} || '|' || {% endif %}
    {%- endfor -%}
{%- endmacro %}

{#- A row cannot describe a moment after it was delivered: "future" is judged against the
    row's own _loaded_at (or the build start, whichever is earlier), plus a tolerance. This
    keeps backfilled history valid and makes the rule independent of when dbt runs. -#}
{% macro future_cutoff() -%}
    (least(coalesce(_loaded_at, '{{ run_started_at.isoformat() }}'::timestamptz), '{{ run_started_at.isoformat() }}'::timestamptz)
     + interval '{{ var("future_tolerance_hours") }} hours')
{%- endmacro %}

{% macro checked_source(source_name, table_name, key_columns, checks=[]) %}
    {%- set any_key_null -%}
        ({%- for col in key_columns -%}{{ col }} is null{% if not loop.last %} or {% endif %}{%- endfor -%})
    {%- endset -%}
    with source_rows as (
        -- every delivered row, untouched; ctid breaks _loaded_at ties (the row written last wins)
        select raw_row.*, raw_row.ctid as _row_position
        from {{ source(source_name, table_name) }} as raw_row
    ),

    versioned as (
        -- the latest delivery of each natural key wins; rows without a full key never rank
        select
            source_rows.*,
            {{ row_key(key_columns) }} as _row_key,
            case when {{ any_key_null }} then null
                 else row_number() over (
                     partition by {{ key_columns | join(', ') }}
                     order by _loaded_at desc nulls last, _row_position desc
                 )
            end as _version_rank
        from source_rows
    )

    select
        versioned.*,
        case
            when {{ any_key_null }} then 'null_key'
            when _version_rank > 1 then 'duplicate'
            {%- for check in checks %}
            when {{ check[1] }} then '{{ check[0] }}'
            {%- endfor %}
        end as _dq_reason,
        case
            when {{ any_key_null }} then 'a key column ({{ key_columns | join(", ") }}) is null'
            when _version_rank > 1 then 'superseded by a later delivery of the same key'
            {%- for check in checks %}
            when {{ check[1] }} then {{ check[2] }}
            {%- endfor %}
        end as _dq_details
    from versioned
{% endmacro %}

{#- Check builders: each returns [reason, condition that marks the row bad, SQL text naming the column and value]. -#}
{% macro dq_value(column) -%}
    '{{ column }} = ' || coalesce(quote_literal({{ column }}::text), 'null')
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
    {{ return(['future_timestamp', condition, dq_value(column) ~ " || ' is in the future'"]) }}
{%- endmacro %}

{% macro missing_check(column) -%}
    {{ return(['missing_value', column ~ " is null", "'" ~ column ~ " is null'"]) }}
{%- endmacro %}

{#- a row that points at a store (or parent row) the warehouse does not know cannot be placed
    in a store's calendar; it is quarantined rather than vanishing in a join -#}
{% macro reference_check(column, relation, key_column) -%}
    {#- NOT IN over a non-null key list plans as a hashed subplan: one hash probe per row -#}
    {%- set condition = "coalesce(" ~ column ~ ", '') not in (select " ~ key_column ~ " from " ~ relation ~ ")" -%}
    {{ return(['unknown_reference', condition, dq_value(column) ~ " || ' is not a known " ~ key_column ~ "'"]) }}
{%- endmacro %}
