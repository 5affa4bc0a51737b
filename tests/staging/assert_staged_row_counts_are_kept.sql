-- The row count and latest delivery that each staging model's strategy keeps in
-- incremental_watermarks (macros/staging.sql: moved by what each incremental run writes, read by
-- mart_source_freshness and the raw reconciliation) equal the staged table's own. Counting every
-- staged row is what keeping them avoids, so this runs with the full checks (`insights validate`,
-- --full-refresh, `--vars '{full_checks: true}'`); Spark keeps none (it counts).
{%- set tables = raw_tables() %}
{%- if full_checks() and target.type != 'spark' %}

{% for entry in tables %}
select '{{ entry["model"] }}' as model, kept.row_count as kept_rows, kept.max_loaded_at as kept_max_loaded_at,
       staged.row_count as staged_rows, staged.max_loaded_at as staged_max_loaded_at
from (select count(*) as row_count, max(loaded_at) as max_loaded_at from {{ ref(entry['model']) }}) as staged
left join {{ watermark_relation() }} as kept on kept.model = '{{ entry["model"] }}'
where kept.row_count is distinct from staged.row_count or kept.max_loaded_at is distinct from staged.max_loaded_at
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- else %}
{#- refs for the DAG: the test still runs after the staging models -#}
-- {% for entry in tables %}{{ ref(entry['model']) }} {% endfor %}
select null::{{ text_type() }} as model where false
{%- endif %}
