-- every raw row excluded from the marts, with its table, natural key and why (contract: raw_sources.md "Bad rows")
{%- set checked = raw_tables() %}

{% for _source, table_name, _staging, base_model, store_column in checked %}
select
    '{{ table_name }}'::text                       as table_name,
    _row_key::text                                 as row_key,
    {{ store_column if store_column else 'null' }}::text as store_id,
    _dq_reason::text                               as reason,
    _dq_details::text                              as details,
    _loaded_at::timestamptz                        as raw_loaded_at,
    '{{ run_started_at.isoformat() }}'::timestamptz as detected_at
from {{ ref(base_model) }}
where _dq_reason is not null
{% if not loop.last %}union all{% endif %}
{% endfor %}
