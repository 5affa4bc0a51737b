{#-
  The benchmark rating rule and the currency conversion in front of it, written once (issue 16).
  fct_benchmark_comparison and fct_insight_signals render them inline; benchmark_functions_ddl
  renders the same macros into two SQL functions of the marts schema, which the insight service
  (/benchmarks over any date range) and the data-quality checks call instead of restating the rule.

  Plain Jinja on purpose (no ref(), var(), return() or adapter calls): pytests/api/fixtures.py
  renders benchmark_functions_ddl into the hand-written fixture marts of the API tests, so the API
  is tested against the very SQL dbt creates. Contract: ../shared/contracts/marts.md.
-#}

{#- Rating of `value` (already in the band's currency) against a band: higher_is_better earns
    excellent / good / average at >= the threshold, lower_is_better at <=; a value worse than
    `average` is poor. No value, or a direction the seeds do not know, is insufficient_data. -#}
{% macro benchmark_rating(value, direction, average, good, excellent) -%}
(case
        when ({{ value }}) is null then 'insufficient_data'
        when ({{ direction }}) = 'higher_is_better' then
            case when ({{ value }}) >= ({{ excellent }}) then 'excellent'
                 when ({{ value }}) >= ({{ good }}) then 'good'
                 when ({{ value }}) >= ({{ average }}) then 'average'
                 else 'poor' end
        when ({{ direction }}) = 'lower_is_better' then
            case when ({{ value }}) <= ({{ excellent }}) then 'excellent'
                 when ({{ value }}) <= ({{ good }}) then 'good'
                 when ({{ value }}) <= ({{ average }}) then 'average'
                 else 'poor' end
        else 'insufficient_data'
    end)
{%- endmacro %}

{#- Why a row is insufficient_data (null when it is rated): `no_value` (the ratio's denominator
    is 0 or null), `no_fx_rate` (a money value whose currency has no rate into the band's
    currency on or before the period), `unknown_direction`. -#}
{% macro benchmark_rating_reason(value, value_in_benchmark_currency, direction) -%}
(case
        when ({{ value }}) is null then 'no_value'
        when ({{ value_in_benchmark_currency }}) is null then 'no_fx_rate'
        when ({{ direction }}) is null or ({{ direction }}) not in ('higher_is_better', 'lower_is_better')
            then 'unknown_direction'
    end)
{%- endmacro %}

{#- The monthly average rate that turns 1 unit of `from_currency` into `to_currency` for a period
    starting on `as_of`: the latest month starting on or before it. A period after the seed's last
    month gets that last month's rate (fx_rate_date shows how old it is); a period before the first
    month gets none. A subquery for `left join lateral (...) as fx on true` (columns fx_rate,
    fx_rate_date); `fx_rates` is dim_fx_rates. -#}
{% macro fx_rate_as_of(fx_rates, from_currency, to_currency, as_of) -%}
select rates.rate as fx_rate, rates.rate_month as fx_rate_date
        from {{ fx_rates }} as rates
        where rates.from_currency = ({{ from_currency }})
          and rates.to_currency = ({{ to_currency }})
          and rates.rate_month <= ({{ as_of }})
        order by rates.rate_month desc
        limit 1
{%- endmacro %}

{#- The rate applied to a value: null for a band without a currency (not money: rated as it is),
    1 when the store already counts in the band's currency, else the looked-up rate (null when
    there is none: the row is then insufficient_data / no_fx_rate). -#}
{% macro benchmark_fx_rate(currency, benchmark_currency, looked_up_rate) -%}
(case
        when ({{ benchmark_currency }}) is null then null
        when ({{ currency }}) = ({{ benchmark_currency }}) then 1
        else ({{ looked_up_rate }})
    end)
{%- endmacro %}

{#- The month of the rate applied: only when a rate was looked up (null for non-money bands and
    for a store already in the band's currency). -#}
{% macro benchmark_fx_rate_date(currency, benchmark_currency, looked_up_date) -%}
(case
        when ({{ benchmark_currency }}) is not null
         and ({{ currency }}) is distinct from ({{ benchmark_currency }}) then ({{ looked_up_date }})
    end)
{%- endmacro %}

{#- The value the band is compared with: a money value times the rate into the band's currency,
    any other value as it is. -#}
{% macro benchmark_converted_value(value, benchmark_currency, fx_rate) -%}
(case
        when ({{ benchmark_currency }}) is null then {{ fx_operand(value) }}
        else {{ fx_operand(value) }} * ({{ fx_rate }})
    end)
{%- endmacro %}

{#- The two functions of the marts schema built from the macros above (post-hook of
    fct_benchmark_comparison, which reads the same marts):
    * benchmark_rating(value, direction, average, good, excellent) -> text: the rule alone (the
      data-quality check of the mart's ratings calls it).
    * benchmark_window(store_id, channel, industry, start_date, end_date): one row per benchmarked
      metric of the channel over any date range, rated exactly as the mart rates a period (the
      insight service's /benchmarks). Values are recomputed from the sums of the channel's daily
      rollup rows; the band is `industry`'s, else `general`'s; the FX rate is the one as of the
      range's first day.
    The bodies are strings (not BEGIN ATOMIC), so the tables they read are resolved when called
    and a rebuilt or full-refreshed mart never drops them. `create or replace` keeps callers
    running during a build; changing the returned columns needs a `drop function` first. -#}
{% macro benchmark_functions_ddl(schema) -%}
{%- set s = '"' ~ schema ~ '"' -%}
create or replace function {{ s }}.benchmark_rating(
    p_value numeric, p_direction text, p_average numeric, p_good numeric, p_excellent numeric)
returns text
language sql immutable parallel safe
as $benchmark_rating$
    select {{ benchmark_rating('p_value', 'p_direction', 'p_average', 'p_good', 'p_excellent') }}
$benchmark_rating$;

create or replace function {{ s }}.benchmark_window(
    p_store_id text, p_channel text, p_industry text, p_start date, p_end date)
returns table (
    metric text, industry text, value numeric, poor numeric, average numeric, good numeric,
    excellent numeric, direction text, unit text, currency text, benchmark_currency text,
    fx_rate numeric, fx_rate_date date, value_in_benchmark_currency numeric, rating text,
    rating_reason text)
language sql stable
as $benchmark_window$
with totals as (
    -- the range's sums of the channel rollup's daily rows: every ratio is recomputed from sums
    select
        sum(u.revenue)                                                              as revenue,
        sum(u.cost)                                                                 as cost,
        sum(u.conversions)                                                          as conversions,
        sum(u.sessions)                                                             as sessions,
        sum(u.clicks)                                                               as clicks,
        sum(u.impressions)                                                          as impressions,
        sum(u.engagements)                                                          as engagements,
        sum(u.bounce_rate * u.sessions) filter (where u.bounce_rate is not null)    as bounce_weighted,
        sum(u.sessions) filter (where u.bounce_rate is not null)                    as bounce_sessions,
        sum(u.avg_session_duration_s * u.sessions)
            filter (where u.avg_session_duration_s is not null)                     as duration_weighted,
        sum(u.sessions) filter (where u.avg_session_duration_s is not null)         as duration_sessions
    from {{ s }}.fct_unified_metrics as u
    where u.store_id = p_store_id
      and u.channel = p_channel
      and u.source = 'all'
      and u.period = 'daily'
      and u.period_start between p_start and p_end
),

window_values as (
    -- the range's value of every metric a band may name, defined as fct_unified_metrics defines it
    select v.metric, v.value
    from totals as t
    cross join lateral (values
        ('conversion_rate', t.conversions::numeric / nullif(t.sessions, 0) * 100),
        ('roas', t.revenue::numeric / nullif(t.cost, 0)),
        ('roi', (coalesce(t.revenue, 0) - coalesce(t.cost, 0))::numeric / nullif(t.cost, 0) * 100),
        ('cpa', t.cost::numeric / nullif(t.conversions, 0)),
        ('cpc', t.cost::numeric / nullif(t.clicks, 0)),
        ('engagement_rate', t.engagements::numeric / nullif(t.impressions, 0) * 100),
        ('bounce_rate', t.bounce_weighted::numeric / nullif(t.bounce_sessions, 0)),
        ('avg_session_duration_s', t.duration_weighted::numeric / nullif(t.duration_sessions, 0))
    ) as v (metric, value)
),

bands as (
    -- the requested industry's band of each metric of the channel, else general's
    select distinct on (b.metric)
        b.metric, b.industry, b.poor, b.average, b.good, b.excellent, b.direction, b.unit,
        b.currency as benchmark_currency
    from {{ s }}.dim_benchmarks as b
    where b.channel = p_channel
      and b.industry in (p_industry, 'general')
    order by b.metric, (b.industry = p_industry) desc
),

matched as (
    -- every band with the range's value (a band metric without a formula has none) and the store's currency
    select
        bands.*,
        window_values.value,
        (select st.currency from {{ s }}.dim_stores as st where st.store_id = p_store_id) as currency
    from bands
    left join window_values on window_values.metric = bands.metric
),

converted as (
    -- the rate into the band's currency as of the range's first day, applied to money values
    select
        matched.*,
        {{ benchmark_fx_rate('matched.currency', 'matched.benchmark_currency', 'fx.fx_rate') }} as applied_rate,
        {{ benchmark_fx_rate_date('matched.currency', 'matched.benchmark_currency', 'fx.fx_rate_date') }} as applied_rate_date
    from matched
    left join lateral (
        {{ fx_rate_as_of(s ~ '.dim_fx_rates', 'matched.currency', 'matched.benchmark_currency', 'p_start') }}
    ) as fx on true
),

compared as (
    -- the value the band is compared with
    select
        converted.*,
        {{ benchmark_converted_value('converted.value', 'converted.benchmark_currency', 'converted.applied_rate') }} as converted_value
    from converted
)

select
    c.metric::{{ text_type() }},
    c.industry::{{ text_type() }},
    c.value::numeric,
    c.poor::numeric,
    c.average::numeric,
    c.good::numeric,
    c.excellent::numeric,
    c.direction::{{ text_type() }},
    c.unit::{{ text_type() }},
    c.currency::{{ text_type() }},
    c.benchmark_currency::{{ text_type() }},
    c.applied_rate::numeric,
    c.applied_rate_date::date,
    c.converted_value::numeric,
    {{ benchmark_rating('c.converted_value', 'c.direction', 'c.average', 'c.good', 'c.excellent') }}::{{ text_type() }},
    {{ benchmark_rating_reason('c.value', 'c.converted_value', 'c.direction') }}::{{ text_type() }}
from compared as c
order by c.metric
$benchmark_window$;
{%- endmacro %}
