{#-
  Helpers of the signal models (issue 7): models/intermediate/insights/int_insight_signals__<family>.sql,
  one per signal family, unioned by models/marts/insights/fct_insight_signals.sql. The windows every
  family measures (insight_signal_windows) and the final select that turns a family's signals into
  the mart's rows (insight_signal_rows) live here, once.

  Every threshold of the signals is a dbt var read with a default here, so that
  dbt_project.yml does not have to list them: override with `--vars` or in dbt_project.yml.
-#}

{#- name -> default of every threshold var of fct_insight_signals (documented in its YAML). -#}
{% macro insight_signal_var_defaults() -%}
    {{ return({
        'insight_revenue_change_pct': 15,
        'insight_revenue_min_share_pct': 5,
        'insight_min_cost_share_pct': 5,
        'insight_marginal_cost_increase_pct': 20,
        'insight_marginal_roas_max': 1,
        'insight_budget_under_pct': 80,
        'insight_budget_over_pct': 120,
        'insight_budget_min_days_elapsed': 7,
        'insight_source_share_pct': 40,
        'insight_source_min_sources': 3,
        'insight_sessions_drop_z': 2,
        'insight_sessions_min_weeks': 4,
        'insight_sessions_max_weeks': 8,
        'insight_sessions_min_weekly': 20,
        'insight_severity_high_pct': 10,
        'insight_severity_medium_pct': 3,
    }) }}
{%- endmacro %}

{#- A threshold var as a SQL numeric literal: var(name, default), validated as a number so a
    bad --vars value fails the compile instead of producing odd SQL. -#}
{% macro insight_var(name) -%}
    {%- set defaults = insight_signal_var_defaults() -%}
    {%- if name not in defaults -%}
        {{ exceptions.raise_compiler_error("unknown insight signal var " ~ name) }}
    {%- endif -%}
    {%- set value = var(name, defaults[name]) -%}
    {%- if value is string -%}
        {%- set value = value | trim -%}
    {%- endif -%}
    {%- if not modules.re.match('^-?[0-9]+(\.[0-9]+)?$', value | string) -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " must be a number, got " ~ value) }}
    {%- endif -%}
    ({{ value }})::{{ unbounded_numeric_type() }}
{%- endmacro %}

{#- One evidence figure: {"id", "label", "value", "unit"} (macros/cross_db_json.sql); value rounded to `places`.
    unit: currency | percent | ratio | count | days | score (`unit_sql`: a SQL expression instead). -#}
{% macro insight_figure(id, label, value, unit, places=2, unit_sql=none) -%}
    {% call json_object() -%}
        'id', '{{ id }}', 'label', '{{ label }}', 'value', round(({{ value }})::{{ unbounded_numeric_type() }}, {{ places }}),
        'unit', {{ unit_sql if unit_sql else "'" ~ unit ~ "'" }}
    {%- endcall %}
{%- endmacro %}

{#- The thresholds of a signal as a JSON object {var name: value}. -#}
{% macro insight_thresholds(names) -%}
    {% call json_object() -%}
    {%- for name in names %}
        '{{ name }}', {{ insight_var(name) }}{% if not loop.last %},{% endif %}
    {%- endfor %}
    {%- endcall %}
{%- endmacro %}

{#- The CTEs every signal family starts from: `unified` (daily rows of fct_unified_metrics), `anchors`
    (a store's data range, fct_store_data_dates), `windows` (last 7 / 28 days ending at the store's
    last data date and the window before), `channel_windows` (channel rollups summed over them) and
    `store_windows` (the store rollup: materiality and severity bases). Rendered as `with`'s first CTEs. -#}
{% macro insight_signal_windows() -%}
unified as (
    -- daily rows of the unified mart (store-local days); rollups (`all`, `overall`) and source rows
    select store_id, channel, source, period_start as day, sessions, conversions, revenue, cost
    from {{ ref('fct_unified_metrics') }}
    where period = 'daily'
),

anchors as (
    -- a store's data range (fct_store_data_dates): its latest day with data ends every window (as the API's default)
    select store_id, first_data_date as first_day, last_data_date as as_of_date
    from {{ ref('fct_store_data_dates') }}
),

windows as (
    -- the last complete 7-day and 28-day windows ending at as_of_date, and the window of equal length before
    select
        anchors.store_id,
        anchors.first_day,
        anchors.as_of_date,
        lengths.period,
        lengths.days,
        anchors.as_of_date - lengths.days + 1     as period_start,
        anchors.as_of_date                        as period_end,
        anchors.as_of_date - 2 * lengths.days + 1 as previous_start,
        anchors.as_of_date - lengths.days         as previous_end
    from anchors
    cross join (values ('last_7_days'::{{ text_type() }}, 7), ('last_28_days'::{{ text_type() }}, 28)) as lengths (period, days)
),

channel_windows as (
    -- channel rollups (source `all`, and the store rollup `overall`) summed over each window and the one
    -- before; a day without a row had nothing (the mart does not zero-fill)
    select
        windows.store_id,
        windows.period,
        windows.days,
        windows.period_start,
        windows.period_end,
        windows.previous_start,
        windows.previous_end,
        windows.first_day <= windows.previous_start                                           as has_previous,
        unified.channel,
        coalesce(sum(unified.revenue) filter (where unified.day >= windows.period_start), 0)      as revenue,
        coalesce(sum(unified.revenue) filter (where unified.day < windows.period_start), 0)       as previous_revenue,
        coalesce(sum(unified.cost) filter (where unified.day >= windows.period_start), 0)         as cost,
        coalesce(sum(unified.cost) filter (where unified.day < windows.period_start), 0)          as previous_cost,
        coalesce(sum(unified.conversions) filter (where unified.day >= windows.period_start), 0)  as conversions,
        coalesce(sum(unified.conversions) filter (where unified.day < windows.period_start), 0)
                                                                                                as previous_conversions
    from windows
    inner join unified
        on unified.store_id = windows.store_id
       and unified.source = 'all'
       and unified.day between windows.previous_start and windows.period_end
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9
),

store_windows as (
    -- the store rollup of each window: the materiality and severity bases
    select
        store_id,
        period,
        revenue                               as store_revenue,
        previous_revenue                      as store_previous_revenue,
        cost                                  as store_cost,
        greatest(revenue, previous_revenue)   as severity_base
    from channel_windows
    where channel = 'overall'
)
{%- endmacro %}

{#- The last CTE and the final select of a signal family: the rows of fct_insight_signals (its
    contract columns, in order) from the family's `signals` CTE, which has the columns store_id,
    signal_type, channel, source, period, period_start, period_end, metric, current_value,
    comparison_value, comparison_kind, change_pct, estimated_revenue_impact, severity_base, evidence,
    previous_start, previous_end. Builds signal_id, the rounding, the severity and the evidence's
    common keys (window, currency of dim_stores, severity base). -#}
{% macro insight_signal_rows(signals) -%}
rated as (
    -- the impact as a share of the store's revenue: what the severity is read from
    select
        {{ signals }}.*,
        {{ percent_of(signals ~ '.estimated_revenue_impact', 'nullif(' ~ signals ~ '.severity_base, 0)', 4) }}
            as impact_share_pct
    from {{ signals }}
)

select
    rated.store_id::{{ text_type() }}                                                              as store_id,
    md5(concat_ws('|', rated.signal_type, rated.store_id, rated.channel, rated.source, rated.period))::{{ text_type() }}
                                                                                      as signal_id,
    rated.signal_type::{{ text_type() }}                                                           as signal_type,
    rated.channel::{{ text_type() }}                                                               as channel,
    rated.source::{{ text_type() }}                                                                as source,
    rated.period::{{ text_type() }}                                                                as period,
    rated.period_start::date                                                          as period_start,
    rated.period_end::date                                                            as period_end,
    rated.metric::{{ text_type() }}                                                                as metric,
    round(rated.current_value, 4)::numeric(20,4)                                      as current_value,
    round(rated.comparison_value, 4)::numeric(20,4)                                   as comparison_value,
    rated.comparison_kind::{{ text_type() }}                                                       as comparison_kind,
    round(rated.change_pct, 4)::numeric(20,4)                                         as change_pct,
    round(rated.estimated_revenue_impact, 2)::numeric(18,2)                           as estimated_revenue_impact,
    (case
        when rated.impact_share_pct >= {{ insight_var('insight_severity_high_pct') }} then 'high'
        when rated.impact_share_pct >= {{ insight_var('insight_severity_medium_pct') }} then 'medium'
        else 'low'
    end)::{{ text_type() }}                                                                        as severity,
    {%- set common_evidence -%}
        {% call json_object() %}
        'signal_type', rated.signal_type,
        'store_id', rated.store_id,
        'channel', rated.channel,
        'source', rated.source,
        'currency', signal_stores.currency,
        'window', {% call json_object() %}
            'period', rated.period, 'start', rated.period_start, 'end', rated.period_end,
            'previous_start', rated.previous_start, 'previous_end', rated.previous_end{% endcall %},
        'severity_base', round(rated.severity_base, 2),
        'impact_share_pct', rated.impact_share_pct
        {% endcall %}
    {%- endset %}
    {{ json_merge_objects('rated.evidence', common_evidence) }}                       as evidence,
    rated.impact_share_pct::numeric(20,4)                                             as impact_share_pct,
    rated.severity_base::numeric(18,2)                                                as severity_base
from rated
left join {{ ref('dim_stores') }} as signal_stores on signal_stores.store_id = rated.store_id
{%- endmacro %}
