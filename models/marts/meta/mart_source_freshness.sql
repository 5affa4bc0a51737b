-- one row per raw source table: when it last received data, as of this build (the service reads
-- this instead of the raw schema; `insights validate` also runs `dbt source freshness` on raw)
{%- set tables = raw_tables() %}
{%- set warn_after = var('freshness_warn_after_hours', 36) | int %}
{%- set error_after = var('freshness_error_after_hours', 96) | int %}

with accepted as (
    -- rows that reached staging (clean, latest delivery per key), as each staging model keeps
    -- them (macros/staging.sql staged_stat: no count of the whole history); those pointing
    -- at an unknown store or contract are counted as quarantined below
    {%- for entry in tables %}
    select '{{ entry["source"] }}'::{{ text_type() }} as source_name,
           '{{ entry["table"] }}'::{{ text_type() }} as source_table,
           {{ staged_stat(entry['model'], 'max_loaded_at') }} as last_loaded_at,
           {{ staged_stat(entry['model'], 'row_count') }}
               - (select count(*) from {{ ref('int_quality__unknown_references') }} as unknown
                  where unknown.table_name = '{{ entry["table"] }}') as row_count
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

quarantined as (
    -- rows excluded from the marts still count as delivered: raw max(_loaded_at) = the later of both
    select table_name as source_table,
           max(raw_loaded_at) as last_loaded_at,
           count(*) filter (where reason <> 'duplicate') as quarantined_rows
    from {{ ref('data_quality_issues') }}
    group by table_name
),

measured as (
    select
        accepted.source_table,
        accepted.source_name,
        greatest(accepted.last_loaded_at, quarantined.last_loaded_at) as last_loaded_at,
        accepted.row_count,
        coalesce(quarantined.quarantined_rows, 0) as quarantined_rows,
        '{{ run_started_at.isoformat() }}'::{{ tstz_type() }} as checked_at
    from accepted
    left join quarantined on quarantined.source_table = accepted.source_table
)

select
    source_table::{{ text_type() }}                                                       as source_table,
    source_name::{{ text_type() }}                                                        as source_name,
    last_loaded_at::{{ tstz_type() }}                                              as last_loaded_at,
    row_count::bigint                                                        as rows,
    quarantined_rows::bigint                                                 as quarantined_rows,
    checked_at::{{ tstz_type() }}                                                  as checked_at,
    round(({{ epoch_seconds_between('checked_at', 'last_loaded_at') }} / 3600.0)::{{ unbounded_numeric_type() }}, 2)
        ::numeric(14,2)
                                                                             as age_hours,
    {{ warn_after }}::integer                                                as warn_after_hours,
    {{ error_after }}::integer                                               as error_after_hours,
    -- the one freshness rule (macros/mart_functions.sql), also what the service calls
    {{ freshness_status_call(
        '(' ~ epoch_seconds_between('checked_at', 'last_loaded_at') ~ ' / 3600.0)::' ~ float8_type(),
        warn_after, error_after
    ) }}::{{ text_type() }}                                                                  as status
from measured
