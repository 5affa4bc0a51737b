{#-
  Helpers of the incremental intermediate models and marts (DECISIONLOG "Incremental").

  Every incremental model below staging stamps the rows it writes with the start of the run
  (`processed_at`, `built_at`, `staged_at`, `detected_at`) and finds its batch from the rows
  its inputs stamped after its own watermark: the start of its last successful run, kept in
  incremental_watermarks (macros/staging.sql) by its post-hook. A model that failed keeps its
  watermark and catches up on the next run; a run that re-reads unchanged inputs stamps
  nothing, so the models after it find nothing to do.
-#}

{#- This model's watermark as a SQL literal read when it is compiled: the start of its last
    successful run ('-infinity' when unknown: the incremental run then reprocesses everything). -#}
{% macro model_watermark() %}
    {%- if not execute -%}{{ return("'-infinity'::timestamptz") }}{%- endif -%}
    {%- set relation = watermark_relation() -%}
    {%- if load_relation(relation) is none -%}{{ return("'-infinity'::timestamptz") }}{%- endif -%}
    {%- set result = run_query("select watermark::text from " ~ relation ~ " where model = '" ~ this.name ~ "'") -%}
    {%- set value = result.columns[0].values()[0] if result and result.rows | length > 0 else none -%}
    {{ return(("'" ~ value ~ "'::timestamptz") if value else "'-infinity'::timestamptz") }}
{% endmacro %}

{#- Post-hook of every incremental model below staging: this run is its new watermark. -#}
{% macro record_run_watermark() %}
    insert into {{ watermark_relation() }} (model, watermark, last_run_at, recorded_at)
    values ('{{ this.name }}', {{ run_stamp() }}, {{ run_stamp() }}, now())
    on conflict (model) do update
        set watermark = excluded.watermark, last_run_at = excluded.last_run_at, recorded_at = excluded.recorded_at
{% endmacro %}

{#- Post-hook of every seed: when this project last loaded it, so that a refresh whose project did
    not change since its last success can leave the seeds and their own tests out (the refresh
    reloads them when a seed was loaded since, by anyone, or is missing: pipeline/seeds.py).
    Spark rebuilds everything on every run and keeps no record. -#}
{% macro record_seed_load() -%}
    {{ return(adapter.dispatch('record_seed_load', 'marketing_insights')()) }}
{%- endmacro %}
{% macro default__record_seed_load() %}{{ record_run_watermark() }}{% endmacro %}
{% macro spark__record_seed_load() %}{% endmacro %}

{#- The stamp every row written by this run carries. -#}
{% macro run_stamp() -%}
    '{{ run_started_at.isoformat() }}'::{{ tstz_type() }}
{%- endmacro %}

{#- Pre-hook of an incremental model that gained columns computed from columns it already has
    (`columns`: dicts of name, data_type, an expression over the table's own columns and optionally
    not_null, the contract's constraint; or, instead of the expression, a `constant`: the column is
    added with that default, which PostgreSQL stores in the catalogue without touching a
    row). Against a table built before they existed, each missing column is added and filled from
    the stored rows,
    inside the model's transaction: the run then finds no schema change (on_schema_change='fail'
    still stops any other one), and the rows it does not reopen are right too, not null. Those rows
    keep their stamps: none of their inputs changed. Nothing to do on a full refresh or once the
    columns exist (one catalogue lookup). -#}
{% macro add_derived_columns(columns) %}
    {%- if execute and incremental_batch() -%}
    {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for column in columns if column['name'] not in existing -%}{%- do missing.append(column) -%}{%- endfor -%}
    {%- set computed = missing | rejectattr('constant', 'defined') | list -%}
    {%- if missing -%}
    alter table {{ this }}
    {%- for column in missing %}
        add column {{ column['name'] }} {{ column['data_type'] }}
        {%- if column['constant'] is defined %} default {{ column['constant'] }}{% endif %}
        {%- if not loop.last %},{% endif %}
    {%- endfor %};
    {%- if computed %}
    update {{ this }} set
    {%- for column in computed %}
        {{ column['name'] }} = {{ column['expression'] }}{% if not loop.last %},{% endif %}
    {%- endfor %};
    {%- endif %}
    {%- for column in computed if column.get('not_null') %}
    alter table {{ this }} alter column {{ column['name'] }} set not null;
    {%- endfor %}
    {%- endif -%}
    {%- endif -%}
{% endmacro %}

{#- Keys a quarantine model (re)judged since `since`, as the staged key columns of its raw
    table (a quarantine row only carries the key as text: row_key joins the parts with '|').
    Keyless rows are skipped: nothing downstream ever held them. -#}
{% macro quarantined_keys_since(table_name, since) -%}
    {%- set entry = raw_table(table_name) -%}
    select distinct
        {%- for column in entry['staged_key'] %}
        split_part(row_key, '|', {{ loop.index }}) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref(quarantine_model_name(entry)) }}
    where detected_at > {{ since }} and reason <> 'null_key'
{%- endmacro %}

{#- Strategy `replace_marked_keys`: every unique key in the batch loses its rows; the batch rows
    with `_keep` are inserted (a `_keep = false` row only marks a key to clear). -#}
{% macro get_incremental_replace_marked_keys_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set batch = arg_dict['temp_relation'] -%}
    {%- set key = arg_dict['unique_key'] -%}
    {%- set key = [key] if key is string else key -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='name') | list -%}
    delete from {{ target }} as built
    using (select distinct {{ key | join(', ') }} from {{ batch }}) as batch
    where {% for column in key %}built.{{ column }} = batch.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %};

    insert into {{ target }} ({% for column in columns %}{{ adapter.quote(column) }}{% if not loop.last %}, {% endif %}{% endfor %})
    select {% for column in columns %}{{ adapter.quote(column) }}{% if not loop.last %}, {% endif %}{% endfor %}
    from {{ batch }}
    where _keep;
{% endmacro %}

{#- Pre-hook of the order-grain attribution marts: orders that stopped converting since this
    model's last run (tombstones of int_attribution__conversions) lose their rows; the orders the
    touchpoints rewrote are replaced by the model's own delete+insert. -#}
{% macro delete_orders_that_stopped_converting() %}
    {%- if incremental_batch() -%}
    delete from {{ this }}
    where order_id in (
        select order_id from {{ ref('int_attribution__conversions') }}
        where is_removed and processed_at > {{ model_watermark() }})
    {%- endif -%}
{% endmacro %}

{#- Tests check the whole model on a full build (`--full-refresh`) or with
    `--vars '{full_checks: true}'` (insights validate runs the full checks too); on an
    incremental run they check what the run wrote. -#}
{% macro full_checks() %}
    {{ return(checks_everything() or flags.FULL_REFRESH or var('full_checks', false)) }}
{% endmacro %}

{#- The start of the last successful run of a model (incremental_watermarks.last_run_at), as a
    scalar subquery: the rows that run wrote carry it as their stamp. A run that wrote nothing
    leaves no row to check; a later `dbt test` alone checks what the last run wrote. -#}
{% macro last_run_of(relation) -%}
    (select last_run_at from {{ watermark_relation() }} where model = '{{ relation.identifier }}')
{%- endmacro %}

{#- `and <stamp> >= the last run of the model` unless full checks are due: a reconciliation test
    then reads only the rows the last run (re)wrote. -#}
{% macro latest_batch_only(stamp, relation) -%}
    {%- if not full_checks() -%}
    and {{ stamp }} >= {{ last_run_of(relation) }}
    {%- endif -%}
{%- endmacro %}

{#- The store-months a test checks: all (full checks), or those of the orders the last run
    (re)attributed. A `where` fragment on `alias`.store_id / `alias`.month_start. -#}
{% macro checked_months_only(alias) -%}
    {%- if not full_checks() -%}
    and ({{ alias }}.store_id, {{ alias }}.month_start) in (
        select store_id, date_trunc('month', converted_date)::date
        from {{ ref('fct_order_attribution') }}
        where processed_at >= {{ last_run_of(ref('fct_order_attribution')) }})
    {%- endif -%}
{%- endmacro %}

{#- The periods of fct_unified_metrics a test checks: all (full checks), or those the last run
    (re)wrote. `period` is a SQL expression or a quoted literal ('monthly'). -#}
{% macro checked_periods_only(alias, period="period", start="period_start") -%}
    {%- if not full_checks() -%}
    {%- set unified = ref('fct_unified_metrics') -%}
    and ({{ alias }}.store_id, {{ period }}, {{ alias }}.{{ start }}) in (
        select store_id, period, period_start from {{ unified }}
        where built_at >= {{ last_run_of(unified) }})
    {%- endif -%}
{%- endmacro %}

{#- The staged keys of a raw table (re)staged or quarantined since `since`: the rows a model built
    from them must rewrite (a quarantined key's earlier version is withdrawn). -#}
{% macro restaged_keys_since(table_name, since) -%}
    {%- set entry = raw_table(table_name) -%}
    {%- set key = entry['staged_key'] | join(', ') -%}
    select {{ key }} from {{ ref(entry['model']) }} where staged_at > {{ since }}
    union
    select {{ key }} from ({{ quarantined_keys_since(table_name, since) }}) as quarantined
{%- endmacro %}

{#- (store_id, visitor_id) of the browsers whose identity link was (re)staged or quarantined
    (withdrawn) since `since`: their sessions and guest orders belong to another person now. -#}
{% macro relinked_visitors_since(since) -%}
    {{ restaged_keys_since('customer_identities', since) }}
{%- endmacro %}

{#- int_sessions' flag for the distinct-visitor recounts (DECISIONLOG "Incremental below staging"):
    a table built before it existed gets it as false, i.e. "recount", on the rows it holds (only
    rows stamped after a model's watermark are ever read for it). A constant, so PostgreSQL adds
    it to the catalogue without rewriting the 7 M rows of scale 40 (an update took 6 minutes and
    left every row dead, with autovacuum off). -#}
{% macro sessions_visit_key_columns() -%}
    {{ return([{'name': 'visit_key_unchanged', 'data_type': 'boolean', 'constant': 'false'}]) }}
{%- endmacro %}
