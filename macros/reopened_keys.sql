{#-
  Incremental rebuild of aggregated marts by "reopened keys" (DECISIONLOG "Incremental").

  A model with `incremental_strategy='reopened_keys'` and `reopen_grain` = one of

    metrics_day     int_unified_metrics_daily       (store_id, date)
    metrics_period  fct_unified_metrics             (store_id, period, period_start)
    attribution_day fct_channel_attribution_daily   (store_id, date)
    path_month      fct_conversion_paths, fct_markov_transitions   (store_id, month_start)

  rebuilds exactly the keys that an input row stamped after the model's watermark can reach
  (reopened_keys_sql below): its SELECT computes those keys' rows from scratch, the strategy
  deletes every reopened key and inserts them. Keys are found from the inputs' stamps and from
  the tombstones and previous_* columns the intermediate models keep, so an incremental run
  equals a full refresh (pytests/test_refresh_equivalence.py) without reading history.

  Changes that stamp no input row still need `dbt build --full-refresh`: the store timezone,
  the channel_mapping seed, a lookup (article, campaign, post) that re-sources old sessions.
-#}

{#- The reopened keys of a grain since `since` (a SQL literal), as a SELECT. `target` is the
    model being built (the metrics grains read it). -#}
{% macro reopened_keys_sql(grain, since, target) -%}
    {%- if grain == 'metrics_day' -%}{{ metrics_reopened_days_sql(since, target) }}
    {%- elif grain == 'metrics_period' -%}{{ metrics_reopened_periods_sql(since, target) }}
    {%- elif grain == 'attribution_day' -%}{{ attribution_reopened_days_sql(since) }}
    {%- elif grain == 'path_month' -%}{{ attribution_reopened_months_sql(since) }}
    {%- else -%}{{ exceptions.raise_compiler_error("reopened_keys_sql: unknown grain " ~ grain) }}
    {%- endif -%}
{%- endmacro %}

{% macro reopened_key_columns(grain) %}
    {%- if grain == 'metrics_period' -%}{{ return(['store_id', 'period', 'period_start']) }}
    {%- elif grain == 'path_month' -%}{{ return(['store_id', 'month_start']) }}
    {%- else -%}{{ return(['store_id', 'date']) }}
    {%- endif -%}
{% endmacro %}

{#- The reopened keys of this run, collected once by the model's pre-hook into a temporary
    table with statistics (`reopened_<model>`, dropped at commit): the model's SELECT and the
    strategy's delete read it. Computed inline, a union of stamp filters and a full outer join,
    PostgreSQL cannot estimate it (it expected 230 k days where there were 144) and sorted every
    session to merge-join them instead of looking the days up through the index. -#}
{% macro reopened_relation() -%}
    reopened_{{ this.name }}
{%- endmacro %}

{#- Pre-hook of every reopened_keys model. -#}
{% macro collect_reopened_keys() %}
    {%- if incremental_batch() -%}
    create temporary table {{ reopened_relation() }} on commit drop as
    select distinct * from ({{ reopened_keys_sql(config.get('reopen_grain'), model_watermark(), this) }}) as reopened
    where {% for column in reopened_key_columns(config.get('reopen_grain')) %}{{ column }} is not null{% if not loop.last %} and {% endif %}{% endfor %};
    analyze {{ reopened_relation() }}
    {%- endif -%}
{% endmacro %}

{#- Strategy `reopened_keys`: delete every reopened key, insert the rebuilt rows. -#}
{% macro get_incremental_reopened_keys_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set batch = arg_dict['temp_relation'] -%}
    {%- set grain = config.get('reopen_grain') -%}
    {%- set key = reopened_key_columns(grain) -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }} as built
    using {{ reopened_relation() }} as reopened
    where {% for column in key %}built.{{ column }} = reopened.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %};

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ batch }};
{% endmacro %}


{#- ---- attribution ------------------------------------------------------------------------ -#}

{#- (store_id, date) of fct_channel_attribution_daily: the conversion days of re-credited orders,
    and the days orders left (tombstones) or moved from (previous_converted_date). With
    `credit_model`, the credits of that model only: every model credits an order on the same day. -#}
{% macro attribution_reopened_days_sql(since, credit_model=none) -%}
    select store_id, converted_date as date
    from {{ ref('fct_attribution_credits') }} where processed_at > {{ since }}
    {%- if credit_model %} and model = '{{ credit_model }}'{% endif %}
    union
    select store_id, converted_date
    from {{ ref('int_attribution__conversions') }} where processed_at > {{ since }}
    union
    select store_id, previous_converted_date
    from {{ ref('int_attribution__conversions') }}
    where processed_at > {{ since }} and previous_converted_date is not null
{%- endmacro %}

{#- (store_id, month_start) of fct_conversion_paths and fct_markov_transitions: the months of
    sessions rewritten since (now and before), of re-attributed orders, and of every month a
    changed order's journey window touches (its sessions may have joined or left a path). -#}
{% macro attribution_reopened_months_sql(since) -%}
    {%- set lookback = var('attribution_lookback_days') | int -%}
    select store_id, {{ period_start('month', 'session_date') }} as month_start
    from {{ ref('int_sessions') }} where processed_at > {{ since }}
    union
    select store_id, {{ period_start('month', 'previous_session_date') }}
    from {{ ref('int_sessions') }} where processed_at > {{ since }} and previous_session_date is not null
    union
    select store_id, {{ period_start('month', 'converted_date') }}
    from {{ ref('fct_order_attribution') }} where processed_at > {{ since }}
    union
    select changed.store_id, spine.month_start
    from (
        select store_id, converted_date as day from {{ ref('int_attribution__conversions') }}
        where processed_at > {{ since }}
        union
        select store_id, previous_converted_date from {{ ref('int_attribution__conversions') }}
        where processed_at > {{ since }} and previous_converted_date is not null
    ) as changed
    cross join lateral {{ date_spine(period_start('month', 'changed.day - ' ~ (lookback + 1)),
                                     period_start('month', 'changed.day'), 'month', 'month_start') }} as spine
{%- endmacro %}


{#- ---- unified metrics ---------------------------------------------------------------------- -#}

{#- (store_id, date) of int_unified_metrics_daily (`target`): days of sessions rewritten since
    (now and before), of default-model credits and changed or removed orders, of platform and
    ledger rows (re)staged since, and days where the platform and ledger families no longer match
    what was built (a row that left staging, a ledger row whose day or source moved). -#}
{% macro metrics_reopened_days_sql(since, target) -%}
    {%- set platform_families = metrics_platform_families() -%}
    select store_id, session_date as date
    from {{ ref('int_sessions') }} where processed_at > {{ since }}
    union
    select store_id, previous_session_date
    from {{ ref('int_sessions') }} where processed_at > {{ since }} and previous_session_date is not null
    union
    {{ attribution_reopened_days_sql(since, var('attribution_default_model')) }}
    union
    select store_id, stat_date from {{ ref('stg_seo__article_daily_stats') }} where staged_at > {{ since }}
    union
    select store_id, stat_date from {{ ref('stg_social__posts_daily') }} where staged_at > {{ since }}
    union
    select store_id, stat_date from {{ ref('stg_ads__campaign_daily') }} where staged_at > {{ since }}
    union
    select store_id, spend_date from {{ ref('stg_finance__marketing_spend') }} where staged_at > {{ since }}
    union
    select deliveries.store_id, deliveries.post_date
    from {{ ref('stg_influencer__deliveries') }} as staged
    inner join {{ ref('int_influencer__deliveries') }} as deliveries on deliveries.delivery_id = staged.delivery_id
    where staged.staged_at > {{ since }} and deliveries.post_date is not null
    union
    select coalesce(platform.store_id, built.store_id), coalesce(platform.date, built.date)
    from (
        -- the platform and ledger families now (small tables: read whole)
        select store_id, date, channel, source,
               sum(impressions) as impressions, sum(clicks) as clicks, sum(engagements) as engagements,
               coalesce(sum(cost), 0) as cost
        from {{ ref('int_metrics__unioned_daily') }}
        where family in ('{{ platform_families | join("', '") }}')
        group by store_id, date, channel, source
    ) as platform
    full outer join (
        -- what the built source rows hold of them
        select store_id, date, channel, source, impressions, clicks, engagements, cost
        from {{ target }}
        where source <> 'all' and channel <> 'overall'
    ) as built
        on built.store_id = platform.store_id and built.date = platform.date
       and built.channel = platform.channel and built.source = platform.source
    where built.store_id is null
       or (platform.impressions, platform.clicks, platform.engagements, coalesce(platform.cost, 0))
          is distinct from (built.impressions, built.clicks, built.engagements, built.cost)
{%- endmacro %}

{#- (store_id, period, period_start) of fct_unified_metrics (`target`): every period holding a
    day int_unified_metrics_daily rebuilt since, or a day the mart has that the daily model lost. -#}
{% macro metrics_reopened_periods_sql(since, target) -%}
    {%- set daily = ref('int_unified_metrics_daily') -%}
    select store_id, 'daily'::{{ text_type() }} as period, date as period_start
    from ({{ metrics_rebuilt_days_sql(since, target) }}) as rebuilt
    {%- for period, unit in metrics_rollup_periods() %}
    union
    select store_id, '{{ period }}'::{{ text_type() }}, {{ period_start(unit, 'date') }}
    from ({{ metrics_rebuilt_days_sql(since, target) }}) as rebuilt
    {%- endfor %}
{%- endmacro %}

{% macro metrics_rebuilt_days_sql(since, target) -%}
    {%- set daily = ref('int_unified_metrics_daily') -%}
    select daily.store_id, daily.date
    from {{ daily }} as daily
    where daily.channel = 'overall' and daily.built_at > {{ since }}
    union
    select built.store_id, built.period_start
    from {{ target }} as built
    where built.period = 'daily' and built.channel = 'overall'
      and not exists (
          select 1 from {{ daily }} as daily
          where daily.store_id = built.store_id and daily.date = built.period_start and daily.channel = 'overall')
{%- endmacro %}

{#- Families of int_metrics__unioned_daily read from small platform and ledger tables. -#}
{% macro metrics_platform_families() %}
    {{ return(['seo_platform', 'influencer_platform', 'social_platform', 'ads_platform', 'ledger']) }}
{% endmacro %}
