-- Nothing is silently dropped: for every raw table,
-- raw rows = staged rows + quarantined rows (bad rows and superseded duplicates).
{%- set tables = raw_tables() %}

with counts as (
    {% for source_name, table_name, staging_model, _base, _store in tables %}
    select
        '{{ table_name }}' as table_name,
        (select count(*) from {{ source(source_name, table_name) }}) as raw_rows,
        (select count(*) from {{ ref(staging_model) }}) as staged_rows,
        (select count(*) from {{ ref('data_quality_issues') }} where table_name = '{{ table_name }}') as quarantined_rows
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from counts where raw_rows <> staged_rows + quarantined_rows
