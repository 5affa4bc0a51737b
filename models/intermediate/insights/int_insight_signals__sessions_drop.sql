-- one row per sessions_drop signal of a store: a channel's sessions of the last 7 days fell far below its
-- trailing weekly mean. Unioned into fct_insight_signals.

with

{{ insight_signal_windows() }},

week_blocks as (
    -- block 0 = the last 7 days, blocks 1..max = the 7-day blocks before it that lie inside the store's data
    select
        anchors.store_id,
        blocks.k,
        anchors.as_of_date - 7 * blocks.k - 6 as block_start,
        anchors.as_of_date - 7 * blocks.k     as block_end
    from anchors
    cross join {{ integer_series('0', insight_var('insight_sessions_max_weeks') ~ '::integer', 'blocks', 'k') }}
    where anchors.as_of_date - 7 * blocks.k - 6 >= anchors.first_day
),

block_channels as (
    -- the channels with a rollup row in the blocks' span: each gets every block, zero-filled
    select distinct unified.store_id, unified.channel
    from unified
    inner join anchors on anchors.store_id = unified.store_id
    where unified.source = 'all'
      and unified.day > anchors.as_of_date - 7 * ({{ insight_var('insight_sessions_max_weeks') }}::integer + 1)
),

channel_blocks as (
    -- sessions and revenue of each channel per 7-day block (zero when it had no row)
    select
        week_blocks.store_id,
        block_channels.channel,
        week_blocks.k,
        week_blocks.block_start,
        week_blocks.block_end,
        coalesce(sum(unified.sessions), 0) as sessions,
        coalesce(sum(unified.revenue), 0)  as revenue
    from week_blocks
    inner join block_channels on block_channels.store_id = week_blocks.store_id
    left join unified
        on unified.store_id = week_blocks.store_id
       and unified.channel = block_channels.channel
       and unified.source = 'all'
       and unified.day between week_blocks.block_start and week_blocks.block_end
    group by 1, 2, 3, 4, 5
),

session_stats as (
    -- the last 7 days vs the trailing blocks: mean, sample deviation, revenue per session
    select
        store_id,
        channel,
        max(sessions) filter (where k = 0)                                       as current_sessions,
        min(block_start) filter (where k = 0)                                    as period_start,
        max(block_end) filter (where k = 0)                                      as period_end,
        min(block_start) filter (where k > 0)                                    as trailing_start,
        max(block_end) filter (where k > 0)                                      as trailing_end,
        count(*) filter (where k > 0)                                            as trailing_weeks,
        avg(sessions) filter (where k > 0)                                       as mean_sessions,
        stddev_samp(sessions) filter (where k > 0)                               as sd_sessions,
        sum(revenue) filter (where k > 0)
            / nullif(sum(sessions) filter (where k > 0), 0)                      as revenue_per_session,
        {{ json_agg_ordered('sessions', 'k', 'k > 0') }}                         as weekly_sessions
    from channel_blocks
    group by store_id, channel
),

session_scores as (
    -- the z-score and change of the last 7 days, with the store's severity base
    select
        session_stats.*,
        round((session_stats.current_sessions - session_stats.mean_sessions)
              / nullif(session_stats.sd_sessions, 0), 4)                        as z_score,
        round((session_stats.current_sessions - session_stats.mean_sessions) * 100
              / nullif(session_stats.mean_sessions, 0), 4)                      as change_pct,
        store_windows.severity_base
    from session_stats
    inner join store_windows
        on store_windows.store_id = session_stats.store_id and store_windows.period = 'last_7_days'
    where session_stats.current_sessions is not null
),

session_signals as (
    -- the drops past the z threshold on a channel with enough trailing weeks and sessions
    select
        store_id,
        'sessions_drop'::{{ text_type() }}                                                            as signal_type,
        channel,
        'all'::{{ text_type() }}                                                                      as source,
        'last_7_days'::{{ text_type() }}                                                              as period,
        period_start,
        period_end,
        'sessions'::{{ text_type() }}                                                                 as metric,
        current_sessions::{{ unbounded_numeric_type() }}                                 as current_value,
        mean_sessions                                                                    as comparison_value,
        'trailing_weeks'::{{ text_type() }}                                                          as comparison_kind,
        change_pct,
        -- the missing sessions at the channel's revenue per session of the trailing weeks
        greatest((mean_sessions - current_sessions) * revenue_per_session, 0)           as estimated_revenue_impact,
        severity_base,
        {% call json_object() %}
            'figures', {% call json_array() %}
                {{ insight_figure('current_sessions', 'Sessions in the last 7 days', 'current_sessions', 'count', 0) }},
                {{ insight_figure('mean_sessions', 'Average sessions per 7-day block of the trailing weeks',
                                  'mean_sessions', 'count', 2) }},
                {{ insight_figure('sd_sessions', 'Standard deviation of those weekly sessions',
                                  'sd_sessions', 'count', 2) }},
                {{ insight_figure('z_score', 'Standard deviations from the trailing mean', 'z_score', 'score', 2) }},
                {{ insight_figure('change_pct', 'Change vs the trailing mean', 'change_pct', 'percent') }},
                {{ insight_figure('trailing_weeks', 'Trailing 7-day blocks compared', 'trailing_weeks', 'count', 0) }},
                {{ insight_figure('window_days', 'Days in the window', '7', 'days', 0) }},
                {{ insight_figure('revenue_per_session', 'Revenue per session in the trailing weeks',
                                  'revenue_per_session', 'currency') }}
            {% endcall %},
            'weekly_sessions', weekly_sessions,
            'trailing_window', {% call json_object() %}'start', trailing_start, 'end', trailing_end{% endcall %},
            'rows', {% call json_array() %}{% call json_object() %}
                'mart', 'fct_unified_metrics', 'store_id', store_id, 'channel', channel, 'source', 'all',
                'period', 'daily', 'period_start_from', trailing_start, 'period_start_to', period_end{% endcall %}{% endcall %},
            'thresholds', {{ insight_thresholds([
                'insight_sessions_drop_z', 'insight_sessions_min_weeks',
                'insight_sessions_max_weeks', 'insight_sessions_min_weekly'
            ]) }}
        {% endcall %}                                                                                as evidence,
        trailing_start                                                                   as previous_start,
        trailing_end                                                                     as previous_end
    from session_scores
    where trailing_weeks >= {{ insight_var('insight_sessions_min_weeks') }}
      and mean_sessions >= {{ insight_var('insight_sessions_min_weekly') }}
      and z_score <= -{{ insight_var('insight_sessions_drop_z') }}
),

{{ insight_signal_rows('session_signals') }}
