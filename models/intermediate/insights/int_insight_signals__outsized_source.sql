-- one row per outsized_source_revenue signal of a store: an article or influencer campaign holding an outsized
-- share of its channel's revenue (last 28 days). Unioned into fct_insight_signals.

with

{{ insight_signal_windows() }},

source_windows as (
    -- each article / campaign source's revenue and cost in the last 28 days
    select
        windows.store_id,
        windows.period,
        windows.days,
        windows.period_start,
        windows.period_end,
        unified.channel,
        unified.source,
        sum(unified.revenue) as revenue,
        sum(unified.cost)    as cost
    from windows
    inner join unified
        on unified.store_id = windows.store_id
       and unified.day between windows.period_start and windows.period_end
    where windows.period = 'last_28_days'
      and (unified.source like 'article:%' or unified.source like 'campaign:%')
    group by 1, 2, 3, 4, 5, 6, 7
),

source_shares as (
    -- a source's share of its channel's revenue, and how many sources the channel has
    select
        source_windows.*,
        channel_windows.revenue                                                           as channel_revenue,
        store_windows.severity_base,
        count(*) over (partition by source_windows.store_id, source_windows.channel)     as channel_sources,
        avg(source_windows.revenue) over (partition by source_windows.store_id, source_windows.channel)
                                                                                          as mean_source_revenue,
        round(source_windows.revenue * 100 / nullif(channel_windows.revenue, 0), 4)      as share_pct
    from source_windows
    inner join channel_windows
        on channel_windows.store_id = source_windows.store_id
       and channel_windows.period = source_windows.period
       and channel_windows.channel = source_windows.channel
    inner join store_windows
        on store_windows.store_id = source_windows.store_id and store_windows.period = source_windows.period
),

source_titles as (
    -- the article title or campaign name shown with the signal (data, never instructions)
    select store_id, 'article:' || item_id as source, title
    from {{ ref('fct_marketing_calendar') }}
    where item_type = 'seo_article'
    union all
    select store_id, 'campaign:' || campaign_id as source, campaign_name as title
    from {{ ref('int_influencer__campaigns') }}
),

source_signals as (
    -- the sources past the share thresholds, as signal columns with their evidence
    select
        source_shares.store_id,
        'outsized_source_revenue'::{{ text_type() }}                                                   as signal_type,
        source_shares.channel,
        source_shares.source,
        source_shares.period,
        source_shares.period_start,
        source_shares.period_end,
        'revenue'::{{ text_type() }}                                                                   as metric,
        source_shares.revenue                                                             as current_value,
        source_shares.channel_revenue                                                     as comparison_value,
        'channel_share'::{{ text_type() }}                                                           as comparison_kind,
        null::{{ unbounded_numeric_type() }}                                              as change_pct,
        greatest(source_shares.revenue - source_shares.mean_source_revenue, 0)           as estimated_revenue_impact,
        source_shares.severity_base,
        {% call json_object() %}
            'figures', {% call json_array() %}
                {{ insight_figure('source_revenue', 'Revenue attributed to the source in the window',
                                  'source_shares.revenue', 'currency') }},
                {{ insight_figure('channel_revenue', 'Revenue of its channel in the window',
                                  'source_shares.channel_revenue', 'currency') }},
                {{ insight_figure('share_pct', 'Share of the channel revenue', 'source_shares.share_pct', 'percent') }},
                {{ insight_figure('channel_sources', 'Sources of the channel with activity in the window',
                                  'source_shares.channel_sources', 'count', 0) }},
                {{ insight_figure('mean_source_revenue', 'Average revenue per source of the channel',
                                  'source_shares.mean_source_revenue', 'currency') }},
                {{ insight_figure('source_cost', 'Cost of the source in the window',
                                  'source_shares.cost', 'currency') }},
                {{ insight_figure('window_days', 'Days in the window', 'source_shares.days', 'days', 0) }}
            {% endcall %},
            'source_title', source_titles.title,
            'rows', {% call json_array() %}
                {% call json_object() %}'mart', 'fct_unified_metrics', 'store_id', source_shares.store_id,
                                   'channel', source_shares.channel, 'source', source_shares.source, 'period', 'daily',
                                   'period_start_from', source_shares.period_start,
                                   'period_start_to', source_shares.period_end{% endcall %},
                {% call json_object() %}'mart', 'fct_unified_metrics', 'store_id', source_shares.store_id,
                                   'channel', source_shares.channel, 'source', 'all', 'period', 'daily',
                                   'period_start_from', source_shares.period_start,
                                   'period_start_to', source_shares.period_end{% endcall %}{% endcall %},
            'thresholds', {{ insight_thresholds(['insight_source_share_pct', 'insight_source_min_sources']) }}
        {% endcall %}                                                                                 as evidence,
        null::date                                                                        as previous_start,
        null::date                                                                        as previous_end
    from source_shares
    left join source_titles
        on source_titles.store_id = source_shares.store_id and source_titles.source = source_shares.source
    where source_shares.revenue > 0
      and source_shares.share_pct >= {{ insight_var('insight_source_share_pct') }}
      and source_shares.channel_sources >= {{ insight_var('insight_source_min_sources') }}
),

{{ insight_signal_rows('source_signals') }}
