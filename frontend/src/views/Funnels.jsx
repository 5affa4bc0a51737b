import { useMemo } from 'preact/hooks';
import { usePage } from '../context.js';
import { useApi } from '../lib/hooks.js';
import { ChartView } from '../lib/charts.jsx';
import { FUNNEL_STEPS, channelsOf, funnelData } from '../lib/chartData.js';
import { formatMetric, formatNumber } from '../lib/format.js';
import { queryFromState, rangeParams } from '../lib/range.js';
import { channelLabel } from '../lib/palette.js';
import { EmptyState, ErrorBanner, Figure, Panel, Skeleton } from '../components/common.jsx';

// the rate of each step after the first: clicks/impressions, sessions/clicks, conversions/sessions
const STEP_RATES = { clicks: 'click_rate', sessions: 'session_rate', conversions: 'conversion_rate' };

function FunnelBlock({ name, row, store }) {
  const data = useMemo(() => funnelData(row, channelLabel(name)), [row, name]);
  const options = useMemo(() => ({
    indexAxis: 'y',
    // steps span 3-4 orders of magnitude (impressions vs conversions): a log axis keeps each one visible
    scales: { x: { type: 'logarithmic', min: 1, ticks: { callback: (v) => (Math.log10(v) % 1 === 0 ? formatNumber(v, store) : '') } } },
    plugins: { legend: { display: false } },
  }), [store]);
  const label = `${channelLabel(name)} funnel: ${FUNNEL_STEPS.map((s) => `${s} ${formatNumber(row[s], store)}`).join(', ')}.`;
  return (
    <div class="funnel" data-testid={`funnel-${name}`}>
      <h3>{channelLabel(name)}</h3>
      <ol class="funnel-steps">
        {FUNNEL_STEPS.map((step) => (
          <li key={step} data-testid={`step-${step}`} data-value={row[step] == null ? '' : String(row[step])}>
            <span class="step-name">{step}</span>
            <span class="step-value">{formatNumber(row[step], store)}</span>
            {STEP_RATES[step] && (
              <Figure class="step-rate muted" testid={`rate-${STEP_RATES[step]}`} value={row[STEP_RATES[step]]}
                text={formatMetric('percent', row[STEP_RATES[step]], store)} />
            )}
          </li>
        ))}
      </ol>
      <ChartView name={`funnel-${name}`} data={data} options={options} label={label} height={160} />
    </div>
  );
}

export function Funnels() {
  const { api, range, store } = usePage();
  const [state, , retry] = useApi((signal) => api.get('/funnel', rangeParams(range), signal),
    [queryFromState({ ...range, model: null })]);
  if (state.loading) return <Panel title="Funnels"><Skeleton lines={8} /></Panel>;
  if (state.error) return <ErrorBanner error={state.error} onRetry={retry} />;
  const channels = state.data.channels || {};
  const names = [...channelsOf(channels), 'overall'].filter((c) => channels[c]);
  const empty = !channels.overall || !channels.overall.impressions && !channels.overall.sessions;
  return (
    <Panel title="Funnels: impressions → clicks → sessions → conversions">
      {empty && <EmptyState />}
      <p class="muted small">Step rates: clicks per impression, sessions per click, conversions per session
        (a dash when the step before is 0).</p>
      <div class="funnel-grid">
        {names.map((name) => <FunnelBlock key={name} name={name} row={channels[name]} store={store} />)}
      </div>
    </Panel>
  );
}
