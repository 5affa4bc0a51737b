{#-
  Incremental models on Spark (DBT_TARGET=spark; DECISIONLOG "Spark: incremental by store").

  PostgreSQL rebuilds exactly the keys new rows reach (macros/staging.sql, incremental.sql,
  reopened_keys.sql): deletes and inserts of single rows, which Parquet tables cannot do. On Spark
  every incremental model is partitioned by store_id and an incremental run rewrites whole store
  partitions with `insert_overwrite` (dynamic partition overwrite): the model's full-build SELECT,
  filtered to the stores that new deliveries reach, replaces those partitions; the others are not
  read or written. Every model below staging computes a store from that store's rows only, so a
  rewritten partition equals what a full refresh writes there.

  The stores a run reaches: every store of every delivery of a key delivered since the model's
  watermark (a key that moved to another store rewrites both), read from the raw tables; a
  delivery of a raw table that names no store (influencers, outreach, deliveries) reaches every
  store. Models below staging also rewrite the rows with no store (the quarantine of such tables).

  One run reads raw rows up to the run's high-water mark (max `_loaded_at` when the run starts):
  a row landing during the run waits for the next one. The run's start (on-run-start) records the
  mark and works out, once, the stores each raw table's new deliveries reach; its end (on-run-end)
  makes the mark the watermark of every incremental model it built, so a model that failed reads
  the same deliveries again next time. Models built in parallel only read these tables.
  `var('staging_overlap_minutes')` re-reads loads that commit late, as on PostgreSQL, so the
  stores of the last minutes' deliveries are rewritten again by the next run even when nothing
  new came. Changes that stamp no raw row (the channel_mapping seed, a store's time zone set by
  hand) still need `--full-refresh`.
-#}

{#- The PostgreSQL batch branches of the incremental models (is_incremental() on PostgreSQL only):
    on Spark an incremental run runs the full-build SELECT for the stores it rewrites. -#}
{% macro incremental_batch() %}{{ return(is_incremental() and target.type != 'spark') }}{% endmacro %}

{#- `partition_by` of the incremental models: store partitions on Spark, none on PostgreSQL. -#}
{% macro spark_store_partitions() %}{{ return('store_id' if target.type == 'spark' else none) }}{% endmacro %}

{#- `incremental_strategy` of an incremental model: its PostgreSQL strategy, insert_overwrite on Spark. -#}
{% macro incremental_strategy_for(postgres_strategy) %}
    {{ return('insert_overwrite' if target.type == 'spark' else postgres_strategy) }}
{% endmacro %}

{% macro spark_literal(value) -%}
    {{ "null" if value is none else "'" ~ (value | string).replace("\\", "\\\\").replace("'", "\\'") ~ "'" }}
{%- endmacro %}

{#- on-run-start (Spark), once for the whole run, so that models built in parallel only read:
    this run's high-water mark (row '__run__' of the watermark table) and, for each watermark the
    models have, the stores that the deliveries since it reach (incremental_changed_stores). -#}
{% macro spark__create_watermark_table() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set relation = watermark_relation() -%}
    {%- set changed = spark_changed_stores_relation() -%}
    {%- do run_query("create database if not exists " ~ relation.schema) -%}
    {%- do run_query("create table if not exists " ~ relation
                     ~ " (model string, watermark timestamp, last_run_at timestamp) using parquet") -%}
    {%- do run_query("create table if not exists " ~ changed
                     ~ " (since timestamp, raw_table string, store_id string) using parquet") -%}
    {%- set entries = [] -%}
    {%- for entry in raw_tables() if load_relation(source(entry['source'], entry['table'])) is not none -%}
        {%- do entries.append(entry) -%}
    {%- endfor -%}
    {%- if not entries -%}{{ return('') }}{%- endif -%}
    {%- set maxima = [] -%}
    {%- for entry in entries -%}
        {%- do maxima.append("select max(_loaded_at) as loaded_at from " ~ source(entry['source'], entry['table'])) -%}
    {%- endfor -%}
    {%- set maxima_sql = "select cast(max(loaded_at) as string) from (" ~ (maxima | join(" union all ")) ~ ") as m" -%}
    {%- set mark = run_query(maxima_sql).columns[0].values()[0] -%}
    {%- set models = spark_watermarks() -%}
    {%- set sinces = [] -%}
    {%- for model, since in models.items() if model != '__run__' and since and since not in sinces -%}
        {%- do sinces.append(since) -%}
    {%- endfor -%}
    {%- set parts = [] -%}
    {%- for since in sinces if mark -%}
        {%- for entry in entries -%}
            {%- do parts.append(spark_reached_stores_sql(entry, since, mark)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do run_query("insert overwrite table " ~ changed ~ " "
                     ~ (("select distinct * from (" ~ (parts | join(" union ")) ~ ") as reached") if parts
                        else "select cast(null as timestamp), cast(null as string), cast(null as string) where false")) -%}
    {%- do models.update({'__run__': mark}) -%}
    {%- do spark_write_watermarks(models) -%}
    {{ return('') }}
{% endmacro %}

{#- on-run-end (Spark): every incremental model built in this run has read up to the run's mark. -#}
{% macro record_spark_watermarks(results) %}
    {%- if not execute or target.type != 'spark' -%}{{ return('') }}{%- endif -%}
    {%- set models = spark_watermarks() -%}
    {%- set mark = models.get('__run__') -%}
    {%- for result in results if result.status == 'success' and result.node.resource_type == 'model'
                                and result.node.config.materialized == 'incremental' -%}
        {%- do models.update({result.node.name: mark}) -%}
    {%- endfor -%}
    {%- do spark_write_watermarks(models) -%}
    {{ return('') }}
{% endmacro %}

{% macro spark_changed_stores_relation() %}
    {%- set relation = watermark_relation() -%}
    {{ return(relation.incorporate(path={'identifier': 'incremental_changed_stores'})) }}
{% endmacro %}

{#- {model: watermark text or none} of the watermark table ('__run__': the run's mark). -#}
{% macro spark_watermarks() %}
    {%- set result = run_query("select model, cast(watermark as string) from " ~ watermark_relation()) -%}
    {%- set models = {} -%}
    {%- for row in result.rows -%}{%- do models.update({row[0]: row[1]}) -%}{%- endfor -%}
    {{ return(models) }}
{% endmacro %}

{% macro spark_write_watermarks(models) %}
    {%- set rows = [] -%}
    {%- for model, value in models | dictsort -%}
        {%- set watermark = spark_timestamp(value) if value else "cast(null as timestamp)" -%}
        {%- do rows.append("(" ~ spark_literal(model) ~ ", " ~ watermark ~ ", "
                           ~ spark_timestamp(run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f')) ~ ")") -%}
    {%- endfor -%}
    {%- do run_query("insert overwrite table " ~ watermark_relation() ~ " values " ~ (rows | join(", "))) -%}
{% endmacro %}

{#- (since, raw table, store) of the stores the deliveries of one raw table in (since - overlap,
    mark] reach: every store of every delivery of a key delivered then ('*': every store, for a
    table whose rows name none). -#}
{% macro spark_reached_stores_sql(entry, since, mark) -%}
    {%- set src = source(entry['source'], entry['table']) -%}
    {%- set window -%}
        _loaded_at > {{ spark_timestamp(since) }} - interval {{ var('staging_overlap_minutes') | int }} minutes
        and _loaded_at <= {{ spark_timestamp(mark) }}
    {%- endset -%}
    {%- set head = "select " ~ spark_timestamp(since) ~ " as since, '" ~ entry['table'] ~ "' as raw_table, " -%}
    {%- if entry['store_column'] is none -%}
    {{ head }}'*' as store_id from {{ src }} where {{ window }}
    {%- else -%}
    {%- set key = entry['key'] | join(', ') -%}
    {{ head }}cast({{ entry['store_column'] }} as string) as store_id from {{ src }} where {{ window }}
    union
    {{ head }}cast({{ entry['store_column'] }} as string) from {{ src }}
    where ({{ key }}) in (select {{ key }} from {{ src }} where {{ window }})
    {%- endif -%}
{%- endmacro %}

{#- This run's high-water mark (text), or none before anything was loaded. -#}
{% macro spark_run_mark() %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set relation = watermark_relation() -%}
    {%- if load_relation(relation) is none -%}{{ return(none) }}{%- endif -%}
    {%- set result = run_query("select cast(watermark as string) from " ~ relation ~ " where model = '__run__'") -%}
    {%- set value = result.columns[0].values()[0] if result and result.rows | length > 0 else none -%}
    {{ return(value or none) }}
{% endmacro %}

{% macro spark_timestamp(value) %}{{ return("timestamp" ~ spark_literal(value)) }}{% endmacro %}

{#- `where` of a raw table read on Spark: rows up to this run's high-water mark. -#}
{% macro raw_rows_of_this_run(alias) -%}
    {%- if target.type == 'spark' -%}
    {%- set mark = spark_run_mark() -%}
    {%- if mark %}where {{ alias }}._loaded_at <= {{ spark_timestamp(mark) }}{% endif -%}
    {%- endif -%}
{%- endmacro %}

{#- Post-hook of every incremental model on Spark: the cached batch is let go. -#}
{% macro spark_release_batch() %}
    {%- if execute -%}{%- do run_query("uncache table if exists " ~ spark_batch_view()) -%}{%- endif -%}
    {{ return('') }}
{% endmacro %}

{#- The stores (text, null for rows without one) whose partitions this run rewrites, or none for
    every partition (the model has no watermark yet, or a storeless table changed). `raw_tables`:
    entries of raw_tables() the model reads (staging: its own; below: all). -#}
{% macro spark_changed_stores(raw_tables, with_storeless_rows) %}
    {%- set found = run_query("select cast(watermark as string) from " ~ watermark_relation()
                              ~ " where model = '" ~ this.name ~ "'") -%}
    {%- set since = found.rows[0][0] if found.rows | length > 0 else none -%}
    {%- if since is none -%}{{ return(none) }}{%- endif -%}
    {%- set names = [] -%}
    {%- for entry in raw_tables %}{% do names.append(spark_literal(entry['table'])) %}{% endfor -%}
    {%- set result = run_query("select distinct store_id from " ~ spark_changed_stores_relation()
                               ~ " where since = " ~ spark_timestamp(since) ~ " and raw_table in ("
                               ~ (names | join(", ")) ~ ")") -%}
    {%- set stores = result.rows | map(attribute=0) | list -%}
    {%- if '*' in stores -%}{{ return(none) }}{%- endif -%}
    {%- if with_storeless_rows and none not in stores -%}{%- do stores.append(none) -%}{%- endif -%}
    {{ return(stores) }}
{% endmacro %}

{#- The raw tables a model reads: a staging or quarantine model its own (raw_tables() names its
    staging model), a model below staging every one. -#}
{% macro spark_raw_tables_of_model() %}
    {%- if model.fqn | length > 1 and model.fqn[1] == 'staging' -%}
        {%- for entry in raw_tables() -%}
            {%- if entry['model'] == this.name or quarantine_model_name(entry) == this.name -%}
                {{ return(([entry], false)) }}
            {%- endif -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error("spark_raw_tables_of_model: no raw table for " ~ this.name) }}
    {%- endif -%}
    {{ return((raw_tables(), true)) }}
{% endmacro %}

{% macro spark_batch_view() %}{{ return(this.identifier ~ '__dbt_batch') }}{% endmacro %}

{#- dbt-spark's insert_overwrite, for the store-partitioned models: the full-build SELECT (the
    temporary view `source_relation`) filtered to the changed stores, cached once, replaces their
    partitions; a changed store with no rows left loses its partition (dynamic overwrite leaves a
    partition the SELECT does not name untouched). No store reached: nothing is written. -#}
{% macro get_insert_overwrite_sql(source_relation, target_relation, existing_relation) %}
    {%- set dest_columns = adapter.get_columns_in_relation(target_relation) -%}
    {%- set dest_cols_csv = dest_columns | map(attribute='quoted') | join(', ') -%}
    {%- if config.get('partition_by') != 'store_id' -%}
    insert overwrite table {{ target_relation }} {{ partition_cols(label="partition") }}
    select {{ dest_cols_csv }} from {{ source_relation }}
    {%- else -%}
    {%- set tables, storeless = spark_raw_tables_of_model() -%}
    {%- set stores = spark_changed_stores(tables, storeless) -%}
    {%- set conditions = [] -%}
    {%- if stores is not none -%}
        {%- set named = stores | reject('none') | list -%}
        {%- if named -%}
            {%- set literals = [] -%}
            {%- for store in named %}{% do literals.append(spark_literal(store)) %}{% endfor -%}
            {%- do conditions.append("store_id in (" ~ (literals | join(', ')) ~ ")") -%}
        {%- endif -%}
        {%- if none in stores %}{% do conditions.append("store_id is null") %}{% endif -%}
        {%- if not conditions %}{% do conditions.append("false") %}{% endif -%}
    {%- endif -%}
    {%- set batch = spark_batch_view() -%}
    {%- do run_query("cache table " ~ batch ~ " as select * from " ~ source_relation
                     ~ ((" where " ~ (conditions | join(" or "))) if conditions else "")) -%}
    {%- set written = run_query("select distinct cast(store_id as string) from " ~ batch) -%}
    {%- set written_stores = written.rows | map(attribute=0) | list -%}
    {%- for row in run_query("show partitions " ~ target_relation).rows -%}
        {%- set value = row[0].split('=', 1)[1] -%}
        {%- set store = none if value == '__HIVE_DEFAULT_PARTITION__' else value -%}
        {#- a value Spark escaped (%XX) is never taken for an emptied store: better a stale partition
            than a dropped live one -#}
        {%- if (stores is none or store in stores) and store not in written_stores and '%' not in value -%}
            {%- do run_query("alter table " ~ target_relation ~ " drop if exists partition (store_id = "
                             ~ spark_literal(value) ~ ")") -%}
        {%- endif -%}
    {%- endfor -%}
    insert overwrite table {{ target_relation }} partition (store_id)
    select {{ dest_cols_csv }} from {{ batch }}
    {%- endif -%}
{% endmacro %}
