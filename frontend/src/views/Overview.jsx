import { useMemo } from 'preact/hooks';
import { usePage } from '../context.js';
import { useApi } from '../lib/hooks.js';
import { ARROWS, compare, describeChange, formatMetric } from '../lib/format.js';
import { queryFromState, rangeParams } from '../lib/range.js';
import { EmptyState, ErrorBanner, Figure, Panel, Skeleton } from '../components/common.jsx';
import { Timeline } from './Channels.jsx';

const CARDS = [
  ['revenue', 'Revenue', 'money'],
  ['cost', 'Marketing cost', 'money'],
  ['roas', 'ROAS', 'ratio'],
  ['profit', 'Gross profit', 'money'],
  ['conversions', 'Conversions', 'count'],
];

/** The dashboard figures, and the previous period's conversions (the API compares the money metrics only). */
export async function loadDashboard(api, range, signal, { withPrevious = false } = {}) {
  const params = rangeParams(range);
  const dashboard = await api.get('/dashboard', params, signal);
  if (!withPrevious) return { dashboard, previous: null };
  const dr = dashboard.date_range;
  const previous = await api.get('/dashboard', {
    start_date: dr.previous_start_date, end_date: dr.previous_end_date,
  }, signal).catch((err) => {
    if (err?.name === 'AbortError') throw err;
    return null; // the previous period may be out of the data's reach: conversions show no change then
  });
  return { dashboard, previous };
}

export function isEmptyDashboard(dashboard) {
  const overall = dashboard?.channels?.overall;
  return !overall || (!overall.revenue && !overall.cost && !overall.sessions && !overall.conversions);
}

export function Card({ id, label, kind, value, comparison, store }) {
  const change = comparison ? describeChange(comparison, store) : null;
  return (
    <div class="card" data-testid={`card-${id}`}>
      <h3>{label}</h3>
      <Figure class="card-value" testid="value" value={value} text={formatMetric(kind, value, store)} />
      {change ? (
        <span class={`change change-${change.direction}`} data-testid="change" data-direction={change.direction}
          title="vs the previous period of the same length">
          <span aria-hidden="true">{ARROWS[change.direction]} </span>{change.text}
          <span class="sr-only"> vs previous period</span>
        </span>
      ) : <span class="change muted" data-testid="change" data-direction="flat">—</span>}
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
      <Timeline timeseries={dashboard.timeseries} store={store} />
    </>
  );
}
