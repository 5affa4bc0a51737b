{#-
  Incremental staging: every raw row is read once (DECISIONLOG "Staging: incremental").

  A staging model (stg_*) and its quarantine model (quarantine_*) both read one raw table
  through raw_versions(): on a full build every raw row; on an incremental run only the keys
  delivered since the model's watermark (minus var('staging_overlap_minutes') for loads that
  commit late), with every earlier delivery of those keys, so that "latest delivery wins" and
  the quarantine reasons are decided exactly as a full build decides them.

  Watermarks live in <staging schema>.incremental_watermarks (model, watermark), written by
  each model's post-hook as max(_loaded_at) of its raw table: a quarantine model rarely
  writes rows, so its own rows cannot tell how far it has read.

  Strategies (get_incremental_*_sql, selected by `incremental_strategy`):
    stage_changed_keys      staging: per touched key, delete the staged row when the key's
                            latest delivery is now bad or differs, insert the new clean
                            latest delivery; unchanged keys keep their row and `staged_at`,
                            so a re-read changes nothing downstream
    replace_row_identities  quarantine: delete the quarantined rows of every touched key (and
                            the keyless rows of the window), insert the current ones
  Both read a `_keep` column that only incremental batches carry (on_schema_change='ignore').
-#}

{#- <staging schema>.incremental_watermarks, target-aware like every other model. -#}
{% macro watermark_relation() %}
    {%- set schema = generate_schema_name('staging', none) | trim -%}
    {%- set database = target.database if target.type != 'spark' else none -%}
    {{ return(api.Relation.create(database=database, schema=schema, identifier='incremental_watermarks',
                                  type='table')) }}
{% endmacro %}

{#- on-run-start: the watermark table exists before any model reads it. -#}
{% macro create_watermark_table() -%}
    {{ return(adapter.dispatch('create_watermark_table', 'marketing_insights')()) }}
{%- endmacro %}
{% macro default__create_watermark_table() %}
    {%- set relation = watermark_relation() -%}
    create schema if not exists {{ relation.schema }};
    create table if not exists {{ relation }} (
        model        text primary key,
        watermark    timestamptz,
        recorded_at  timestamptz not null default now()
    );
    -- the start of the model's last successful run: what its tests check on an incremental run
    alter table {{ relation }} add column if not exists last_run_at timestamptz;
    -- a staging model's rows and their latest delivery, kept by its strategy as it writes
    -- (stage_changed_keys): mart_source_freshness reads them instead of counting every staged row
    alter table {{ relation }} add column if not exists row_count bigint;
    alter table {{ relation }} add column if not exists max_loaded_at timestamptz;
{% endmacro %}

{#- Post-hook of every raw reader: it has read its raw table up to the newest row there now.
    A row committed after the model's SELECT but stamped earlier is re-read next time
    through the overlap. -#}
{% macro record_raw_watermark(table_name) -%}
    {{ return(adapter.dispatch('record_raw_watermark', 'marketing_insights')(table_name)) }}
{%- endmacro %}
{#- Spark: the watermarks are written once, at the end of the run (macros/spark_incremental.sql). -#}
{% macro spark__record_raw_watermark(table_name) %}{{ return(spark_release_batch()) }}{% endmacro %}
{% macro default__record_raw_watermark(table_name) %}
    {%- set entry = raw_table(table_name) -%}
    insert into {{ watermark_relation() }} (model, watermark, last_run_at, recorded_at)
    select '{{ this.name }}', coalesce(max(_loaded_at), '-infinity'::{{ tstz_type() }}), {{ run_stamp() }}, now()
    from {{ source(entry['source'], entry['table']) }}
    on conflict (model) do update
        set watermark = excluded.watermark, last_run_at = excluded.last_run_at, recorded_at = excluded.recorded_at;
    {%- if config.get('incremental_strategy') == 'stage_changed_keys' %}
    -- a staging model's row count and latest delivery: counted after a full build, and once while
    -- unknown (a table built before they were kept); an incremental run's strategy moved them
    update {{ watermark_relation() }}
    set row_count = (select {{ staged_stat_aggregate('row_count') }} from {{ this }}),
        max_loaded_at = (select {{ staged_stat_aggregate('max_loaded_at') }} from {{ this }})
    where model = '{{ this.name }}'{% if incremental_batch() %} and row_count is null{% endif %};
    {%- endif %}
{% endmacro %}

{#- A staging model's `row_count` or `max_loaded_at`, as scalar SQL: on PostgreSQL what its
    strategy keeps in incremental_watermarks (no scan of the staged history), the table's own
    aggregate where none is kept yet (PostgreSQL evaluates the fallback only then); Spark computes. -#}
{% macro staged_stat(model, stat) -%}
    {{ return(adapter.dispatch('staged_stat', 'marketing_insights')(model, stat)) }}
{%- endmacro %}
{% macro staged_stat_aggregate(stat) -%}
    {{ return({'row_count': 'count(*)', 'max_loaded_at': 'max(loaded_at)'}[stat]) }}
{%- endmacro %}
{% macro default__staged_stat(model, stat) -%}
    coalesce((select kept.{{ stat }} from {{ watermark_relation() }} as kept where kept.model = '{{ model }}'),
             (select {{ staged_stat_aggregate(stat) }} from {{ ref(model) }}))
{%- endmacro %}
{% macro spark__staged_stat(model, stat) -%}(select {{ staged_stat_aggregate(stat) }} from {{ ref(model) }}){%- endmacro %}

{#- Lower bound of this incremental run's raw batch, as a SQL literal read when the model is
    compiled: the watermark minus the overlap; -infinity when the model has none. -#}
{% macro raw_batch_lower_bound() %}
    {%- if not execute -%}{{ return("'-infinity'::timestamptz") }}{%- endif -%}
    {%- set relation = watermark_relation() -%}
    {%- if load_relation(relation) is none -%}{{ return("'-infinity'::timestamptz") }}{%- endif -%}
    {%- set overlap = var('staging_overlap_minutes') | int -%}
    {%- set result = run_query("select (watermark - interval '" ~ overlap ~ " minutes')::text from "
                               ~ relation ~ " where model = '" ~ this.name ~ "'") -%}
    {%- set value = result.columns[0].values()[0] if result and result.rows | length > 0 else none -%}
    {{ return(("'" ~ value ~ "'::timestamptz") if value else "'-infinity'::timestamptz") }}
{% endmacro %}

{#- Every delivery of one raw table that this run must judge, with its verdict:
      _row_key       the natural key joined with '|' ('<null>' for a missing part)
      _version_rank  1 for the latest delivery of its key, 2 for an earlier one, null if keyless
      _dq_reason     null for a clean latest delivery, else why the row is quarantined
      _dq_details    the column and value behind the reason
    Full build: every raw row. Incremental: every delivery of the keys delivered since the
    watermark (+ the keyless rows of that window when `keyless_rows`). -#}
{% macro raw_versions(table_name, keyless_rows=false) %}
    {%- set entry = raw_table(table_name) -%}
    {%- set src = source(entry['source'], entry['table']) -%}
    {%- set key = entry['key'] -%}
    {%- set key_list = key | join(', ') -%}
    {%- set null_parts = [] -%}
    {%- for column in key -%}{%- do null_parts.append(column ~ ' is null') -%}{%- endfor -%}
    {%- set any_key_null = '(' ~ (null_parts | join(' or ')) ~ ')' -%}
    {%- set checks = raw_table_checks(table_name) -%}
    {%- if incremental_batch() -%}
        {%- set lower = raw_batch_lower_bound() -%}
        {%- set aliases = [] -%}
        {%- for column in key -%}{%- do aliases.append('key_' ~ loop.index) -%}{%- endfor -%}
        {%- set rows -%}
            (select raw_row.*, {{ row_position('raw_row') }} as _row_position
             from {{ src }} as raw_row
             where ({{ key_list }}) in (select {{ aliases | join(', ') }} from touched_keys)
             {%- if keyless_rows %}
             union all
             select raw_row.*, {{ row_position('raw_row') }} from {{ src }} as raw_row
             where {{ any_key_null }} and _loaded_at > {{ lower }}
             {%- endif %})
        {%- endset -%}
    {%- else -%}
        {%- set rows -%}
            (select raw_row.*, {{ row_position('raw_row') }} as _row_position from {{ src }} as raw_row
             {{ raw_rows_of_this_run('raw_row') }})
        {%- endset -%}
    {%- endif %}
    with
    {%- if incremental_batch() %}
    touched_keys as {{ cte_materialized() }} (
        -- keys delivered since the watermark (the overlap re-reads late commits): computed once,
        -- then their deliveries are looked up through the raw key index
        select distinct {% for column in key %}{{ column }} as {{ aliases[loop.index0] }}{% if not loop.last %}, {% endif %}{% endfor %}
        from {{ src }}
        where _loaded_at > {{ lower }} and not {{ any_key_null }}
    ),
    {%- endif %}
    duplicated_keys as {{ cte_materialized() }} (
        -- keys delivered more than once: only their deliveries are ranked (a narrow aggregate of
        -- the key instead of a sort of every whole row)
        select {{ key_list }}
        from {{ rows }} as source_rows
        where not {{ any_key_null }}
        group by {{ key_list }}
        having count(*) > 1
    ),

    superseded as {{ cte_materialized() }} (
        -- every delivery of those keys but the latest; the row position breaks _loaded_at ties (written last wins)
        select _row_position
        from (
            select _row_position,
                   row_number() over (partition by {{ key_list }}
                                      order by _loaded_at desc nulls last, _row_position desc) as version_rank
            from {{ rows }} as source_rows
            where ({{ key_list }}) in (select * from duplicated_keys)
        ) as ranked
        where version_rank > 1
    ),

    flagged as (
        -- each delivery with its key text and whether a later delivery replaced it
        select
            source_rows.*,
            {{ row_key(key) }} as _row_key,
            {{ any_key_null }} as _is_keyless,
            -- a hashed lookup of the few superseded deliveries (needs a work_mem that holds them:
            -- macros/session_settings.sql), not a join that hashes every raw row
            source_rows._row_position in (select _row_position from superseded) as _is_superseded
        from {{ rows }} as source_rows
    )

    select
        flagged.*,
        case when _is_keyless then null when _is_superseded then 2 else 1 end as _version_rank,
        case
            when _is_keyless then 'null_key'
            when _is_superseded then 'duplicate'
            {%- for check in checks %}
            when {{ check[1] }} then '{{ check[0] }}'
            {%- endfor %}
        end as _dq_reason,
        case
            when _is_keyless then 'a key column ({{ key | join(", ") }}) is null'
            when _is_superseded then 'superseded by a later delivery of the same key'
            {%- for check in checks %}
            when {{ check[1] }} then {{ check[2] }}
            {%- endfor %}
        end as _dq_details
    from flagged
{% endmacro %}

{#- Bookkeeping columns of a staging model's select list: when the run staged the row, and on
    incremental batches whether the key keeps a staged row (false: its latest delivery is bad). -#}
{% macro staging_bookkeeping() -%}
    '{{ run_started_at.isoformat() }}'::{{ tstz_type() }} as staged_at
    {%- if incremental_batch() %},
    (_dq_reason is null) as _keep
    {%- endif %}
{%- endmacro %}

{#- Which versions a staging model selects: the latest delivery of each key; clean only on a
    full build (an incremental batch also carries the bad ones, as _keep = false). -#}
{% macro staging_filter() -%}
    _version_rank = 1
    {%- if not incremental_batch() %} and _dq_reason is null{% endif %}
{%- endmacro %}

{#- A quarantine model: every quarantined delivery of one raw table (full build), or those of
    the keys this run touched plus a `_keep = false` row for each touched key that has none. -#}
{% macro quarantined_rows(table_name) %}
    {%- set entry = raw_table(table_name) -%}
    with versions as (
        -- every delivery this run judges (raw_versions, macros/staging.sql)
        {{ raw_versions(table_name, keyless_rows=true) }}
    ),

    judged as (
        select
            '{{ entry["table"] }}'::{{ text_type() }}                                   as table_name,
            _row_key::{{ text_type() }}                                                 as row_key,
            {{ entry['store_column'] or 'null' }}::{{ text_type() }}                    as store_id,
            _dq_reason::{{ text_type() }}                                               as reason,
            _dq_details::{{ text_type() }}                                              as details,
            _loaded_at::{{ tstz_type() }}                                        as raw_loaded_at,
            -- the grain: n-th quarantined row of one key, delivery time and reason (keyless rows of
            -- one load, a key delivered twice in one load), ordered by the other columns it shows, so
            -- only identical rows tie and every order gives the same rows
            row_number() over (partition by _row_key, _loaded_at, _dq_reason
                               order by _dq_details, {{ entry['store_column'] or 'null' }}::{{ text_type() }})::integer
                                                                           as copy_number
            {%- if incremental_batch() %},
            {{ quarantine_identity('_dq_reason', '_row_key', '_loaded_at') }} as _identity,
            (_dq_reason is not null)                                       as _keep
            {%- endif %}
        from versions
        {%- if not incremental_batch() %}
        where _dq_reason is not null
        {%- endif %}
    )

    select
        judged.*,
        {%- if incremental_batch() %}
        -- a row quarantined before keeps the time it was first detected
        coalesce(
            (select min(previous.detected_at) from {{ this }} as previous
             where previous.row_key = judged.row_key
               and previous.raw_loaded_at is not distinct from judged.raw_loaded_at
               and previous.reason is not distinct from judged.reason
               and previous.details is not distinct from judged.details),
            '{{ run_started_at.isoformat() }}'::{{ tstz_type() }})                as detected_at
        {%- else %}
        '{{ run_started_at.isoformat() }}'::{{ tstz_type() }}                    as detected_at
        {%- endif %}
    from judged
{% endmacro %}

{#- Identity of a quarantined raw row: its key text, or for a keyless row (null_key) its key
    text and delivery time (two keyless rows of one delivery are replaced together). -#}
{% macro quarantine_identity(reason, row_key, loaded_at) -%}
    (case when {{ reason }} = 'null_key' then {{ row_key }} || '@' || coalesce({{ loaded_at }}::{{ text_type() }}, '')
          else {{ row_key }} end)
{%- endmacro %}

{#- Strategy `stage_changed_keys` (staging models). -#}
{% macro get_incremental_stage_changed_keys_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set batch = arg_dict['temp_relation'] -%}
    {%- set key = arg_dict['unique_key'] -%}
    {%- set key = [key] if key is string else key -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='name') | list -%}
    {%- set compared = columns | reject('equalto', 'staged_at') | list -%}
    -- the staged rows after this run: every touched key keeps a row exactly when its latest
    -- delivery is clean (the batch holds one row per key), so the count moves by the clean keys
    -- minus the touched keys staged now (read before the delete below)
    update {{ watermark_relation() }}
    set row_count = row_count
            + (select count(*) from {{ batch }} as batch where batch._keep)
            - (select count(*) from {{ target }} as staged inner join {{ batch }} as batch
               on {% for column in key %}staged.{{ column }} = batch.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %}),
        max_loaded_at = greatest(max_loaded_at, (select max(batch.loaded_at) from {{ batch }} as batch where batch._keep))
    where model = '{{ this.name }}';

    -- a key whose latest delivery is now bad, or differs from what is staged, loses its row
    delete from {{ target }} as staged
    using {{ batch }} as batch
    where {% for column in key %}staged.{{ column }} = batch.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %}
      and (not batch._keep
           or ({% for column in compared %}staged.{{ adapter.quote(column) }}{% if not loop.last %}, {% endif %}{% endfor %})
              is distinct from
              ({% for column in compared %}batch.{{ adapter.quote(column) }}{% if not loop.last %}, {% endif %}{% endfor %}));

    -- new keys and changed ones get their clean latest delivery
    insert into {{ target }} ({% for column in columns %}{{ adapter.quote(column) }}{% if not loop.last %}, {% endif %}{% endfor %})
    select {% for column in columns %}batch.{{ adapter.quote(column) }}{% if not loop.last %}, {% endif %}{% endfor %}
    from {{ batch }} as batch
    where batch._keep
      and not exists (
          select 1 from {{ target }} as staged
          where {% for column in key %}staged.{{ column }} = batch.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %});
{% endmacro %}

{#- Strategy `replace_row_identities` (quarantine models). -#}
{% macro get_incremental_replace_row_identities_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set batch = arg_dict['temp_relation'] -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='name') | list -%}
    delete from {{ target }} as quarantined
    where {{ quarantine_identity('quarantined.reason', 'quarantined.row_key', 'quarantined.raw_loaded_at') }}
          in (select _identity from {{ batch }});

    insert into {{ target }} ({% for column in columns %}{{ adapter.quote(column) }}{% if not loop.last %}, {% endif %}{% endfor %})
    select {% for column in columns %}{{ adapter.quote(column) }}{% if not loop.last %}, {% endif %}{% endfor %}
    from {{ batch }}
    where _keep;
{% endmacro %}

{#- Upgrade in place: a quarantine table built before `copy_number` existed gets the column, numbered
    as quarantined_rows() numbers it, before an incremental run compares schemas (on_schema_change
    `ignore` would otherwise leave it out and data_quality_issues, which reads it, would fail until a
    --full-refresh). One catalogue lookup once the column exists; nothing on a full refresh. -#}
{% macro add_quarantine_copy_number() %}
    {%- if execute and incremental_batch() -%}
    {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if 'copy_number' not in existing -%}
    alter table {{ this }} add column copy_number integer;
    update {{ this }} as quarantined set copy_number = numbered.copy_number
    from (
        select ctid as row_ctid,
               row_number() over (partition by row_key, raw_loaded_at, reason
                                  order by details, store_id)::integer as copy_number
        from {{ this }}
    ) as numbered
    where quarantined.ctid = numbered.row_ctid;
    {%- endif -%}
    {%- endif -%}
{% endmacro %}
