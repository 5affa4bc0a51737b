{#-
  Helpers of the unified-metrics marts (models/intermediate/metrics, models/marts/metrics,
  benchmarks, budget, calendar). Contract: ../shared/contracts/marts.md.
-#}

{#- A ratio that is null, never 0 and never an error, when the denominator is 0 or null
    (marts.md: "A ratio whose denominator is 0 or null is null"). `scale` multiplies the
    numerator first (100 for percentages on a 0-100 scale). -#}
{% macro safe_ratio(numerator, denominator, scale=1) -%}
    (case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else ({{ numerator }})::numeric * {{ scale }} / ({{ denominator }})::numeric
    end)
{%- endmacro %}

{#- The columns of fct_unified_metrics / int_unified_metrics_daily whose rollup rows are the
    sum of their parts. unique_visitors is deliberately absent: it is a distinct count at
    each row's own grain. -#}
{% macro metrics_additive_columns() -%}
    {{ return(['sessions', 'pageviews', 'session_duration_s_sum', 'bounced_sessions',
               'impressions', 'clicks', 'engagements', 'cost', 'conversions', 'revenue',
               'profit', 'unattributed_conversions', 'unattributed_revenue',
               'unattributed_profit']) }}
{%- endmacro %}

{#- Select list of a rollup's parts, summed: every additive column, plus the bounds of its
    distinct visitors (at least the busiest part's, at most the sum of the parts'). -#}
{% macro rollup_part_sums() -%}
    {%- for column in metrics_additive_columns() %}
        sum({{ column }}) as {{ column }},
    {%- endfor %}
        max(unique_visitors) as max_unique_visitors,
        sum(unique_visitors) as sum_unique_visitors
{%- endmacro %}

{#- True where a rollup row (`rolled`) and its summed parts (`parts`, from rollup_part_sums) do
    not match: a side is missing, an additive column differs, or its distinct visitors lie
    outside the parts' bounds. -#}
{% macro rollup_mismatch(rolled, parts) -%}
    {{ rolled }}.store_id is null
   or {{ parts }}.store_id is null
   {%- for column in metrics_additive_columns() %}
   or {{ rolled }}.{{ column }} is distinct from {{ parts }}.{{ column }}
   {%- endfor %}
   or {{ rolled }}.unique_visitors < {{ parts }}.max_unique_visitors
   or {{ rolled }}.unique_visitors > {{ parts }}.sum_unique_visitors
{%- endmacro %}

{#- Ratio columns of fct_unified_metrics that benchmark_metrics may name (fct_benchmark_comparison
    reads the metric's value from the column of the same name). -#}
{% macro metrics_benchmarkable_columns() -%}
    {{ return(['conversion_rate', 'bounce_rate', 'engagement_rate', 'cpc', 'cpa', 'roas', 'roi',
               'avg_session_duration_s']) }}
{%- endmacro %}

{#- The attribution measures that the `overall` rollup carries for unattributed orders. -#}
{% macro metrics_attributed_columns() -%}
    {{ return(['conversions', 'revenue', 'profit']) }}
{%- endmacro %}

{#- The rollup periods built from days: (period name, date_trunc unit). ISO weeks start on
    Monday, which is what PostgreSQL's date_trunc('week', ...) returns. -#}
{% macro metrics_rollup_periods() -%}
    {{ return([('weekly', 'week'), ('monthly', 'month')]) }}
{%- endmacro %}

{#- First day of the period containing `date_expr` (a date). -#}
{% macro period_start(unit, date_expr) -%}
    (date_trunc('{{ unit }}', ({{ date_expr }})::timestamp)::date)
{%- endmacro %}

{#- Last day of the period containing `date_expr`. -#}
{% macro period_end(unit, date_expr) -%}
    ((date_trunc('{{ unit }}', ({{ date_expr }})::timestamp) + interval '1 {{ unit }}')::date - 1)
{%- endmacro %}

{#- Date spine: one row per `unit` step from start_expr to end_expr (inclusive), as column
    `alias`. Set-returning, use in a FROM clause: `from {{ date_spine(...) }}`. -#}
{% macro date_spine(start_expr, end_expr, unit='day', alias='spine_date') -%}
    (select spine::date as {{ alias }}
     from generate_series(({{ start_expr }})::timestamp, ({{ end_expr }})::timestamp,
                          interval '1 {{ unit }}') as spine)
{%- endmacro %}


{#- ======================================================================================
    Incremental rebuild of store-local days ("reopened days")

    int_unified_metrics_daily and fct_unified_metrics are incremental with the custom
    strategy `reopened_days` (below): a run deletes every reopened key of the target and
    inserts it rebuilt from scratch, so an incremental run equals a full refresh for every
    change that arrives through the inputs.

    int_unified_metrics_daily reopens, per store, a local day (store_id, date) when
      1. it lies in the store's trailing window: date >= (latest built day of the store)
         - var('incremental_trailing_days'), or the store has never been built;
      2. or an input row dated that day was (re)loaded after the previous build: raw
         `_loaded_at` of sessions, article stats, influencer deliveries, social posts, ads,
         the spend ledger and orders (a refund or cancellation re-delivers the order), with
         a safety margin of the same number of days for loads committed late; or the
         `processed_at` of a default-model attribution credit is later than any the target
         has seen (re-attribution of old orders, e.g. after identity stitching);
      3. or it is a day the target holds inside the trailing window (a day whose rows all
         disappeared upstream is then deleted too).
    Every rebuilt row is stamped `built_at` = start of the run.

    fct_unified_metrics reopens every period (day, ISO week, month) containing a day that
    int_unified_metrics_daily rebuilt since the mart's last build (its `overall` row has a
    later built_at) or that disappeared from it.

    Changes that re-deliver no input row (a store's timezone, the channel_mapping seed, a
    new article/campaign that reclassifies old sessions) need `dbt build --full-refresh`.
    ====================================================================================== -#}

{#- (store_id, date) pairs to rebuild in int_unified_metrics_daily (`target`). Two
    watermarks: raw `_loaded_at` (set by loaders: a margin of the trailing days covers
    loads committed late) and the credits' `processed_at` (set by dbt runs: strict). -#}
{% macro metrics_reopened_days_sql(target) -%}
    {%- set trailing = var('incremental_trailing_days') | int -%}
    select distinct candidates.store_id, candidates.date
    from (
        select store_id, session_date as date, loaded_at, null::timestamptz as attributed_at
        from {{ ref('stg_web__sessions') }}
        union all
        select store_id, stat_date, loaded_at, null from {{ ref('stg_seo__article_daily_stats') }}
        union all
        select store_id, post_date, loaded_at, null from {{ ref('stg_influencer__deliveries') }}
        where post_date is not null
        union all
        select store_id, stat_date, loaded_at, null from {{ ref('stg_social__posts_daily') }}
        union all
        select store_id, stat_date, loaded_at, null from {{ ref('stg_ads__campaign_daily') }}
        union all
        select store_id, spend_date, loaded_at, null from {{ ref('stg_finance__marketing_spend') }}
        union all
        select store_id, order_date, loaded_at, null from {{ ref('stg_shop__orders') }}
        union all
        select store_id, converted_date, null, processed_at from {{ ref('fct_attribution_credits') }}
        where model = '{{ var("attribution_default_model") }}'
        union all
        -- days already built: only the trailing-window test below can reopen them
        select store_id, date, null, null from {{ target }}
    ) as candidates
    left join (
        select store_id, max(date) as last_built_date from {{ target }} group by store_id
    ) as built
        on built.store_id = candidates.store_id
    cross join (
        select
            coalesce(max(loaded_at), '-infinity'::timestamptz) - interval '{{ trailing }} days' as loaded_since,
            coalesce(max(attributed_at), '-infinity'::timestamptz)                         as attributed_since
        from {{ target }}
    ) as watermark
    where candidates.date is not null
      and (
        built.last_built_date is null
        or candidates.date >= built.last_built_date - {{ trailing }}
        or candidates.loaded_at > watermark.loaded_since
        or candidates.attributed_at > watermark.attributed_since
      )
{%- endmacro %}

{#- (store_id, period, period_start) to rebuild in fct_unified_metrics (`target`): every
    period containing a day that int_unified_metrics_daily rebuilt after the mart's last
    build, or a day the mart has that the daily model no longer has. -#}
{% macro metrics_reopened_periods_sql(target) -%}
    {%- set daily = ref('int_unified_metrics_daily') -%}
    with reopened_days as (
        select daily.store_id, daily.date
        from {{ daily }} as daily
        where daily.channel = 'overall'
          and daily.built_at > (select coalesce(max(built_at), '-infinity'::timestamptz) from {{ target }})
        union
        select built.store_id, built.period_start
        from {{ target }} as built
        where built.period = 'daily' and built.channel = 'overall'
          and not exists (
              select 1 from {{ daily }} as daily
              where daily.store_id = built.store_id and daily.date = built.period_start
                and daily.channel = 'overall'
          )
    )
    select store_id, 'daily'::text as period, date as period_start from reopened_days
    {%- for period, unit in metrics_rollup_periods() %}
    union
    select store_id, '{{ period }}'::text, {{ period_start(unit, 'date') }} from reopened_days
    {%- endfor %}
{%- endmacro %}

{#- The reopened keys of a model, by its config `reopen_grain` (day | period). -#}
{% macro metrics_reopened_keys_sql(target, grain) -%}
    {%- if grain == 'period' -%}
        {{ metrics_reopened_periods_sql(target) }}
    {%- else -%}
        {{ metrics_reopened_days_sql(target) }}
    {%- endif -%}
{%- endmacro %}

{#- Earliest reopened day/period start, computed when the model is compiled (before any
    delete), as a SQL date literal; `null::date` when nothing is to be rebuilt. Used as a
    constant lower bound that PostgreSQL pushes down into the family views' scans, so an
    incremental run aggregates only recent rows. -#}
{% macro metrics_reopened_floor(target, grain) -%}
    {%- if not execute -%}{{ return("null::date") }}{%- endif -%}
    {%- set key_column = 'period_start' if grain == 'period' else 'date' -%}
    {%- set result = run_query("select min(" ~ key_column ~ ")::text from ("
                               ~ metrics_reopened_keys_sql(target, grain) ~ ") as reopened") -%}
    {%- set floor = result.columns[0].values()[0] if result and result.rows | length > 0 else none -%}
    {{ return(("'" ~ floor ~ "'::date") if floor else "null::date") }}
{%- endmacro %}

{#- Custom incremental strategy `reopened_days`: delete every reopened key of the target
    (computed from the same, not yet modified, state the model's SELECT saw), then insert
    the freshly built rows. -#}
{% macro get_incremental_reopened_days_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set grain = config.get('reopen_grain', 'day') -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }} as t
    using ({{ metrics_reopened_keys_sql(target, grain) }}) as r
    where t.store_id = r.store_id
    {%- if grain == 'period' %}
      and t.period = r.period and t.period_start = r.period_start
    {%- else %}
      and t.date = r.date
    {%- endif %};

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }};
{% endmacro %}
