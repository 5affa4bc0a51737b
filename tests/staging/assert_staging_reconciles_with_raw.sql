-- Nothing is silently dropped: for every raw table,
-- raw rows = rows reaching the marts + quarantined rows (bad rows, superseded duplicates, and
-- staged rows pointing at an unknown store or contract, which are both staged and quarantined).
{%- set tables = raw_tables() %}

with counts as (
    {% for entry in tables %}
    select
        '{{ entry["table"] }}' as table_name,
        (select count(*) from {{ source(entry['source'], entry['table']) }}) as raw_rows,
        -- on an incremental run the count the staging strategy keeps (no scan of the staged
        -- history); full checks count the table, and assert_staged_row_counts_are_kept holds both equal
        {% if full_checks() -%}
        (select count(*) from {{ ref(entry['model']) }})
        {%- else -%}
        {{ staged_stat(entry['model'], 'row_count') }}
        {%- endif %} as staged_rows,
        (
            select count(*) from {{ ref('int_quality__unknown_references') }} as unknown
            where unknown.table_name = '{{ entry["table"] }}'
        ) as orphaned_rows,
        (
            select count(*) from {{ ref('data_quality_issues') }} as issues
            where issues.table_name = '{{ entry["table"] }}'
        ) as quarantined_rows
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from counts where raw_rows <> staged_rows - orphaned_rows + quarantined_rows
