import { useState } from 'preact/hooks';
import { usePage } from '../context.js';
import { useApi } from '../lib/hooks.js';
import { hold } from '../lib/ready.js';
import { generateInsights } from '../lib/jobs.js';
import { formatCurrency, formatDate, formatMetric } from '../lib/format.js';
import { EmptyState, ErrorBanner, Figure, Panel, Skeleton } from '../components/common.jsx';

const UNIT_KIND = { currency: 'money', money: 'money', percent: 'percent', ratio: 'ratio', count: 'count' };

function EvidenceFigures({ evidence, store }) {
  const figures = Array.isArray(evidence?.figures) ? evidence.figures : [];
  if (!figures.length) return null;
  return (
    <dl class="evidence">
      {figures.slice(0, 6).map((f, i) => (
        <div key={f.id || i}>
          <dt>{f.label || f.id}</dt>
          <Figure tag="dd" value={typeof f.value === 'number' ? f.value : null}
            text={typeof f.value === 'number' ? formatMetric(UNIT_KIND[f.unit] || 'count', f.value, store) : String(f.value ?? '—')} />
        </div>
      ))}
    </dl>
  );
}

function InsightCard({ insight, store, onChange }) {
  const { api } = usePage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const act = async (what) => {
    setBusy(true);
    setError(null);
    const release = hold('insight');
    try {
      const { data } = await api.post(`/insights/${encodeURIComponent(insight.id)}/${what}`);
      onChange(insight.id, data);
    } catch (err) {
      setError(err);
      setBusy(false);
    } finally {
      setTimeout(release, 0);
    }
  };
  const origin = insight.generated_by === 'llm' ? `AI${insight.model ? ` (${insight.model})` : ''}` : 'rule-based';
  return (
    <article class={`insight priority-${insight.priority}`} data-testid="insight-card" data-insight-id={insight.id}
      data-priority={insight.priority} data-origin={insight.generated_by}>
      <header>
        <span class={`priority-tag priority-tag-${insight.priority}`}>{insight.priority} priority</span>
        <span class="muted small">{insight.type} · {insight.category}</span>
      </header>
      <h3>{insight.title}</h3>
      <p>{insight.description}</p>
      {insight.impact != null && (
        <p class="impact">Impact: <Figure testid="insight-impact" value={insight.impact} text={formatCurrency(insight.impact, store)} /></p>
      )}
      <EvidenceFigures evidence={insight.evidence} store={store} />
      {insight.suggested_action && <p class="action-text"><strong>Suggested:</strong> {insight.suggested_action}</p>}
      <ErrorBanner error={error} />
      <footer>
        <button type="button" data-testid="insight-action" class="primary" disabled={busy} onClick={() => act('action')}>Mark as done</button>
        <button type="button" data-testid="insight-dismiss" disabled={busy} onClick={() => act('dismiss')}>Dismiss</button>
        <span class="origin muted small" title={insight.template_reason || ''}>
          {origin}{insight.period_end ? ` · to ${formatDate(insight.period_end, store)}` : ''}
        </span>
      </footer>
    </article>
  );
}

const PRIORITY_ORDER = { high: 0, medium: 1, low: 2 };

export function Insights() {
  const { api, store } = usePage();
  const [state, setState, retry] = useApi((signal) => api.get('/insights', undefined, signal), [api]);
  const [gen, setGen] = useState({ busy: false, note: null, error: null, status: null });

  const onChange = (id) => setState((s) => ({ ...s, data: { ...s.data, insights: s.data.insights.filter((i) => i.id !== id) } }));
  const generate = async () => {
    setGen({ busy: true, note: null, error: null, status: 'starting' });
    const release = hold('generate');
    try {
      const result = await generateInsights(api, { onProgress: (job) => setGen((g) => ({ ...g, status: job.status })) });
      const note = result && typeof result.created === 'number'
        ? `${result.created} new, ${result.refreshed ?? 0} refreshed${result.note ? ` · ${result.note}` : ''}` : 'Done.';
      setGen({ busy: false, note, error: null, status: null });
      retry();
    } catch (error) {
      setGen({ busy: false, note: null, error, status: null });
    } finally {
      setTimeout(release, 0);
    }
  };

  const insights = state.data ? [...state.data.insights].sort(
    (a, b) => (PRIORITY_ORDER[a.priority] ?? 3) - (PRIORITY_ORDER[b.priority] ?? 3) || (b.impact ?? 0) - (a.impact ?? 0)) : [];
  return (
    <Panel title="Insights" actions={(
      <button type="button" class="primary" data-testid="insights-generate" disabled={gen.busy} onClick={generate}>
        {gen.busy ? 'Generating…' : 'Generate insights'}
      </button>
    )}>
      {gen.busy && (
        <div class="progress" data-testid="insights-progress" role="status" aria-live="polite">
          <progress aria-label="Generating insights" />
          <span>Generating insights{gen.status && gen.status !== 'starting' ? ` (${gen.status})` : ''}…</span>
        </div>
      )}
      {gen.note && <p class="muted small" role="status">{gen.note}</p>}
      <ErrorBanner error={gen.error} />
      {state.loading && <Skeleton lines={6} />}
      {state.error && <ErrorBanner error={state.error} onRetry={retry} />}
      {state.data && insights.length === 0 && <EmptyState>No active insights. Generate them from the latest signals.</EmptyState>}
      <div class="insight-grid">
        {insights.map((i) => <InsightCard key={i.id} insight={i} store={store} onChange={onChange} />)}
      </div>
    </Panel>
  );
}
