-- one row per staged row that points at a store (or contract) the warehouse does not know: the
-- intermediate models drop it in their joins, so it is quarantined here (`unknown_reference`)
-- and listed in marts.data_quality_issues. Staging cannot tell: it reads its own source only.
-- Incremental: the rows (re)staged or quarantined since the last run are (re)checked; a store
-- or contract that arrives after its rows needs `--full-refresh` (DECISIONLOG).
{{ config(
    materialized='incremental',
    partition_by=spark_store_partitions(),
    unique_key=['table_name', 'row_key'],
    incremental_strategy=incremental_strategy_for('replace_marked_keys'),
    on_schema_change='ignore',
    indexes=[{'columns': ['table_name', 'row_key'], 'unique': true}],
    post_hook="{{ run_watermark_post_hook() }}",
) }}
{%- set checked = [] %}
{%- for entry in raw_tables() if entry['reference'] %}{% do checked.append(entry) %}{% endfor %}
{%- for entry in checked %}
-- depends_on: {{ ref(quarantine_model_name(entry)) }}
{%- endfor %}
{%- if incremental_batch() %}
{%- set since = model_watermark() %}
{%- endif %}

{% for entry in checked %}
{%- set column, parent_model, parent_key = entry['reference'] %}
{% if not loop.first %}union all{% endif %}
-- {{ entry['table'] }}: rows whose {{ column }} is not a known {{ parent_key }}
select
    '{{ entry["table"] }}'::{{ text_type() }}                                as table_name,
    {{ row_key(entry['staged_key']) }}::{{ text_type() }}                   as row_key,
    {{ 'staged.store_id' if entry['store_column'] else 'null' }}::{{ text_type() }} as store_id,
    'unknown_reference'::{{ text_type() }}                                   as reason,
    {{ unknown_reference_details(column, parent_key) }}::{{ text_type() }} as details,
    staged.loaded_at::{{ tstz_type() }}                               as raw_loaded_at,
    {{ run_stamp() }}                                           as detected_at
    {%- if incremental_batch() %},
    not exists (
        select 1 from {{ ref(parent_model) }} as parent where parent.{{ parent_key }} = staged.{{ column }}
    ) as _keep
    {%- endif %}
from {{ ref(entry['model']) }} as staged
where
    {%- if incremental_batch() %}
    staged.staged_at > {{ since }}
    {%- else %}
    not exists (select 1 from {{ ref(parent_model) }} as parent where parent.{{ parent_key }} = staged.{{ column }})
    {%- endif %}
{%- if incremental_batch() %}
union all
-- {{ entry['table'] }}: keys that left staging since the last run lose their entry
select '{{ entry["table"] }}', quarantined.row_key, null, 'unknown_reference', null, null,
       {{ run_stamp() }}, false
from {{ ref(quarantine_model_name(entry)) }} as quarantined
where quarantined.detected_at > {{ since }} and quarantined.reason <> 'null_key'
{%- endif %}
{% endfor %}
