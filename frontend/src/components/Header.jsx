import { useState } from 'preact/hooks';
import { usePage } from '../context.js';
import { useApi } from '../lib/hooks.js';
import { formatDate, formatDateTime, formatNumber } from '../lib/format.js';
import {
  MODELS, MODEL_LABELS, PRESETS, customState, modelState, presetState, queryFromState,
} from '../lib/range.js';
import { Link, navigate } from '../lib/router.jsx';
import { qualityStatus } from '../lib/dashboard.js';

export const VIEWS = [
  ['overview', 'Overview'], ['channels', 'Channels'], ['funnels', 'Funnels'], ['attribution', 'Attribution'],
  ['budget', 'Budget'], ['insights', 'Insights'], ['calendar', 'Calendar'],
];

function QualityBadge() {
  const { api, session, store } = usePage();
  const [state] = useApi((signal) => api.get('/data-quality', { examples: 0 }, signal), [api]);
  if (state.loading) return <span class="badge" data-testid="dq-badge" data-status="">Data quality…</span>;
  const status = state.error ? 'error' : qualityStatus(state.data, session.data_as_of);
  const q = state.data;
  const title = state.error
    ? `Data quality unavailable: ${state.error.message}`
    : `${formatNumber(q.excluding_duplicates, store)} quarantined rows (plus ${
      formatNumber(q.total - q.excluding_duplicates, store)} superseded duplicates); last data date ${
      formatDate(session.last_data_date, store)}`;
  const text = { ok: 'Data OK', warn: 'Data: check', error: 'Data: error' }[status];
  return (
    <span class={`badge badge-${status}`} data-testid="dq-badge" data-status={status} title={title}
      aria-label={`Data quality: ${status}. ${title}`} data-value={q ? String(q.excluding_duplicates) : ''}>
      {text}{q && q.excluding_duplicates > 0 ? ` (${formatNumber(q.excluding_duplicates, store)})` : ''}
    </span>
  );
}

function RangeControls() {
  const { range, location } = usePage();
  const [start, setStart] = useState(range.start || '');
  const [end, setEnd] = useState(range.end || '');
  const [error, setError] = useState(null);
  const go = (state) => navigate(location.path, { search: queryFromState(state) });
  const apply = (event) => {
    event.preventDefault();
    const result = customState(range, start, end);
    setError(result.error);
    if (!result.error) go(result.state);
  };
  return (
    <div class="range" role="group" aria-label="Date range">
      <div class="presets">
        {PRESETS.map((days) => (
          <button type="button" key={days} data-testid={`range-${days}`} aria-pressed={range.days === days ? 'true' : 'false'}
            onClick={() => { setError(null); go(presetState(range, days)); }}>
            {days} days
          </button>
        ))}
      </div>
      <form class="custom-range" onSubmit={apply}>
        <label class="sr-only" for="range-start">Start date</label>
        <input id="range-start" type="date" data-testid="range-start" value={start}
          onInput={(e) => setStart(e.currentTarget.value)} />
        <span aria-hidden="true">–</span>
        <label class="sr-only" for="range-end">End date</label>
        <input id="range-end" type="date" data-testid="range-end" value={end}
          onInput={(e) => setEnd(e.currentTarget.value)} />
        <button type="submit" data-testid="range-apply">Apply</button>
      </form>
      {error && <p class="error-text" role="alert" data-testid="range-error">{error}</p>}
    </div>
  );
}

function ModelSelect() {
  const { range, location } = usePage();
  const onChange = (event) => {
    navigate(location.path, { search: queryFromState(modelState(range, event.currentTarget.value)) });
  };
  return (
    <label class="model-select">
      <span>Attribution model</span>
      <select data-testid="model-select" value={range.model || 'linear'} onChange={onChange}>
        {MODELS.map((m) => <option key={m} value={m}>{MODEL_LABELS[m]}</option>)}
      </select>
    </label>
  );
}

export function Header({ view }) {
  const { session, store, signOut, location } = usePage();
  return (
    <header class="top">
      <div class="top-row">
        <div class="brand">
          <h1 data-testid="store-name">{store.name || session.store_id}</h1>
          <span class="muted">
            Data as of <time data-testid="data-as-of" data-value={session.data_as_of || ''}
              dateTime={session.data_as_of || ''}>{formatDateTime(session.data_as_of, store)}</time>
          </span>
          <QualityBadge />
        </div>
        <button type="button" class="link-button" data-testid="signout" onClick={signOut}>Sign out</button>
      </div>
      <div class="controls">
        <RangeControls key={location.search} />
        <ModelSelect />
      </div>
      <nav class="tabs-nav" aria-label="Views">
        {VIEWS.map(([id, label]) => (
          <Link key={id} href={`/dashboard/${id}${location.search}`} data-testid={`nav-${id}`}
            aria-current={view === id ? 'page' : undefined} class={view === id ? 'active' : ''}>
            {label}
          </Link>
        ))}
      </nav>
    </header>
  );
}
