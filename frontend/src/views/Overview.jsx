import { useMemo } from 'preact/hooks';
import { usePage } from '../context.js';
import { useApi } from '../lib/hooks.js';
import { ARROWS, compare, describeChange, formatMetric } from '../lib/format.js';
import { queryFromState } from '../lib/range.js';
import { isEmptyDashboard, loadDashboard } from '../lib/dashboard.js';
import { EmptyState, ErrorBanner, Figure, Panel, Skeleton } from '../components/common.jsx';
import { ForecastPanel, Projections } from '../components/Forecast.jsx';
import { Timeline } from './Channels.jsx';

// cost rising is not good news: its arrow keeps the direction but takes the "bad" colour
const INVERSE = new Set(['cost']);
const CARDS = [
  ['revenue', 'Revenue', 'money'],
  ['cost', 'Marketing cost', 'money'],
  ['roas', 'ROAS', 'ratio'],
  ['profit', 'Gross profit', 'money'],
  ['conversions', 'Conversions', 'count'],
];

export function Card({ id, label, kind, value, comparison, store }) {
  const change = comparison ? describeChange(comparison, store) : null;
  return (
    <div class="card" data-testid={`card-${id}`}>
      <h3>{label}</h3>
      <Figure class="card-value" testid="value" value={value} text={formatMetric(kind, value, store)} />
      {change ? (
        <span class={`change change-${change.direction}${INVERSE.has(id) ? ' inverse' : ''}`}
          title="vs the previous period of the same length">
          <span aria-hidden="true">{ARROWS[change.direction]} </span>
          <span data-testid="change" data-direction={change.direction}>{change.text}</span>
          <span class="sr-only"> vs previous period</span>
        </span>
      ) : <span class="change muted"><span data-testid="change" data-direction="flat">—</span></span>}
    </div>
  );
}

export function Overview() {
  const { api, range, store } = usePage();
  const key = queryFromState({ ...range, model: null });
  const [state, , retry] = useApi((signal) => loadDashboard(api, range, signal, { withPrevious: true }), [key]);
  const comparisons = useMemo(() => {
    if (!state.data) return {};
    const { dashboard, previous } = state.data;
    const vs = dashboard.vs_previous_period?.overall || {};
    const conv = previous ? compare(dashboard.channels.overall.conversions, previous.channels.overall.conversions) : null;
    return { ...vs, conversions: conv };
  }, [state.data]);

  if (state.loading) {
    return (
      <>
        <div class="cards">{CARDS.map(([id]) => <div class="card" key={id}><Skeleton lines={2} /></div>)}</div>
        <Panel title="Daily revenue by channel"><Skeleton lines={6} /></Panel>
      </>
    );
  }
  if (state.error) return <ErrorBanner error={state.error} onRetry={retry} />;
  const { dashboard } = state.data;
  const overall = dashboard.channels.overall || {};
  return (
    <>
      {isEmptyDashboard(dashboard) && <EmptyState />}
      <div class="cards">
        {CARDS.map(([id, label, kind]) => (
          <Card key={id} id={id} label={label} kind={kind} value={overall[id] ?? null}
            comparison={comparisons[id]} store={store} />
        ))}
      </div>
      <Projections projections={dashboard.projections} />
      <ForecastPanel channel="overall" chartName="forecast-overall" />
      <Timeline timeseries={dashboard.timeseries} store={store} />
    </>
  );
}
