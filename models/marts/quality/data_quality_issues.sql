-- every raw row excluded from the marts, with its table, natural key and why (contract: raw_sources.md
-- "Bad rows"): the staging quarantines (own-row checks and superseded deliveries) and the rows that
-- point at an unknown store or contract (int_quality__unknown_references)
{%- set tables = raw_tables() %}

{% for entry in tables %}
select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at, copy_number
from {{ ref(quarantine_model_name(entry)) }}
union all
{% endfor %}
-- one row per staged key, so never a second copy
select table_name, row_key, store_id, reason, details, raw_loaded_at, detected_at, 1::integer as copy_number
from {{ ref('int_quality__unknown_references') }}
