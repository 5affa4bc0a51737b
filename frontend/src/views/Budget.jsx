import { useMemo, useState } from 'preact/hooks';
import { usePage } from '../context.js';
import { useApi } from '../lib/hooks.js';
import { hold } from '../lib/ready.js';
import { ChartView } from '../lib/charts.jsx';
import { SCENARIOS, optimizerData, utilizationData } from '../lib/chartData.js';
import { formatCurrency, formatPercent, formatRatio } from '../lib/format.js';
import { channelLabel } from '../lib/palette.js';
import { EmptyState, ErrorBanner, Figure, Panel, Skeleton, TableScroll } from '../components/common.jsx';

// pacing compares the projected month-end spend with the budget: under < 90 %, over > 110 %
const PACING = { under: 'Under budget', on: 'On pace', over: 'Over budget' };
const pacingText = (p) => (p ? PACING[p] || p.replace(/_/g, ' ') : '—');
const BOUND = { lower: 'at lower bound', upper: 'at upper bound', locked: 'locked' };

function moneyOptions(store) {
  return {
    scales: { y: { beginAtZero: true, ticks: { callback: (v) => formatCurrency(v, store, { compact: true }) } } },
    plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${formatCurrency(c.parsed.y, store)}` } } },
  };
}

function Utilization({ store, month, setMonth }) {
  const { api } = usePage();
  const [state, , retry] = useApi((signal) => api.get('/budget/utilization', month ? { month } : undefined, signal), [month]);
  const data = useMemo(() => (state.data ? utilizationData(state.data) : null), [state.data]);
  const options = useMemo(() => moneyOptions(store), [store]);
  if (state.loading) return <Panel title="Budget utilisation"><Skeleton lines={6} /></Panel>;
  if (state.error) return <ErrorBanner error={state.error} onRetry={retry} />;
  const u = state.data;
  const rows = u.channels || [];
  return (
    <Panel title={`Budget utilisation, ${u.month}`} actions={(
      <label class="inline-select">
        <span>Month</span>
        <input type="month" value={month || u.month} data-testid="budget-month"
          onChange={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)} />
      </label>
    )}>
      {rows.length === 0 ? <EmptyState>No budget for this month.</EmptyState> : (
        <>
          <ChartView name="budget-utilization" data={data} options={options} height={280}
            label={`Monthly budget, spent and projected spend per channel for ${u.month}: ${rows.map((r) => `${channelLabel(r.channel)} ${
              formatPercent(r.utilization_pct, store)} used`).join(', ')}.`} />
          <TableScroll label="Budget utilisation">
            <table data-testid="utilization-table">
              <thead>
                <tr>
                  <th scope="col">Channel</th><th scope="col" class="num">Budget</th><th scope="col" class="num">Spent</th>
                  <th scope="col" class="num">Used</th><th scope="col" class="num">Projected</th><th scope="col">Pace</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.channel} data-testid={`util-${r.channel}`}>
                    <th scope="row">{channelLabel(r.channel)}</th>
                    <Figure tag="td" class="num" testid="cell-monthly_budget" value={r.monthly_budget} text={formatCurrency(r.monthly_budget, store)} />
                    <Figure tag="td" class="num" testid="cell-spent" value={r.spent} text={formatCurrency(r.spent, store)} />
                    <td class="num">
                      <div class="meter" aria-hidden="true"><span style={{ width: `${Math.min(100, Math.max(0, r.utilization_pct || 0))}%` }} /></div>
                      <Figure testid="cell-utilization_pct" value={r.utilization_pct} text={formatPercent(r.utilization_pct, store)} />
                    </td>
                    <Figure tag="td" class="num" testid="cell-projected_spend" value={r.projected_spend} text={formatCurrency(r.projected_spend, store)} />
                    <td data-testid="cell-pacing" class={`pace pace-${r.pacing}`}>{pacingText(r.pacing)}</td>
                  </tr>
                ))}
              </tbody>
              {u.totals && (
                <tfoot>
                  <tr class="total-row">
                    <th scope="row">Total</th>
                    <Figure tag="td" class="num" value={u.totals.monthly_budget} text={formatCurrency(u.totals.monthly_budget, store)} />
                    <Figure tag="td" class="num" value={u.totals.spent} text={formatCurrency(u.totals.spent, store)} />
                    <td />
                    <Figure tag="td" class="num" value={u.totals.projected_spend} text={formatCurrency(u.totals.projected_spend, store)} />
                    <td />
                  </tr>
                </tfoot>
              )}
            </table>
          </TableScroll>
          <p class="muted small">Day {rows[0]?.days_elapsed} of {rows[0]?.days_in_month}. Projected: the month's spend so far continued at the same pace to the month's end; pace compares it with the budget (within ±10 %: on pace).</p>
        </>
      )}
    </Panel>
  );
}

function fitReason(fit) {
  if (!fit) return '—';
  if (fit.fallback_used) return `Constant ROAS: ${fit.fallback_reason || 'the response curve did not fit'}`;
  return `Response curve (R² ${fit.r2 == null ? '—' : fit.r2.toFixed(2)}, ${fit.n_days} days)`;
}

function OptimizerResult({ result, store }) {
  const data = useMemo(() => optimizerData(result), [result]);
  const options = useMemo(() => moneyOptions(store), [store]);
  const rec = result.scenarios?.recommended;
  const interval = result.lift_interval;
  const base = result.scenarios?.current?.predicted_revenue;
  const hasInterval = Array.isArray(interval) && interval[0] != null && interval[1] != null && base != null;
  return (
    <div data-testid="optimizer-result" class="optimizer-result">
      <div class="cards">
        <div class="card">
          <h3>Predicted revenue (recommended)</h3>
          <Figure class="card-value" testid="optimizer-predicted" value={rec?.predicted_revenue} text={formatCurrency(rec?.predicted_revenue, store)} />
          <span class="muted small" data-testid="optimizer-interval">
            {hasInterval
              ? `Lift vs current split ${formatCurrency(result.predicted_lift, store)} (80% interval ${formatCurrency(
                base + interval[0], store)} – ${formatCurrency(base + interval[1], store)})`
              : `Lift vs current split ${formatCurrency(result.predicted_lift, store)} (no interval)`}
          </span>
        </div>
        {SCENARIOS.filter(([k]) => k !== 'recommended' && result.scenarios?.[k]).map(([k, label]) => (
          <div class="card" key={k}>
            <h3>{label}</h3>
            <Figure class="card-value" testid={`scenario-${k}`} value={result.scenarios[k].predicted_revenue}
              text={formatCurrency(result.scenarios[k].predicted_revenue, store)} />
            <span class="muted small">predicted revenue, same total budget</span>
          </div>
        ))}
      </div>
      <ChartView name="optimizer" data={data} options={options} height={300}
        label={`Budget per channel: current split, proportional to ROAS and recommended, for a total of ${formatCurrency(result.total_budget, store)}.`} />
      <TableScroll label="Recommended budget">
        <table data-testid="optimizer-table">
          <thead>
            <tr>
              <th scope="col">Channel</th><th scope="col" class="num">Last 30 days</th><th scope="col" class="num">Recommended</th>
              <th scope="col" class="num">Change</th><th scope="col" class="num">Predicted revenue</th><th scope="col" class="num">Marginal ROAS</th>
              <th scope="col">Bound</th><th scope="col">Fit</th>
            </tr>
          </thead>
          <tbody>
            {result.channels.map((c) => (
              <tr key={c.channel} data-testid={`opt-${c.channel}`}>
                <th scope="row">{channelLabel(c.channel)}</th>
                <Figure tag="td" class="num" testid="cell-current_spend" value={c.current_spend} text={formatCurrency(c.current_spend, store)} />
                <Figure tag="td" class="num" testid="cell-recommended_budget" value={c.recommended_budget} text={formatCurrency(c.recommended_budget, store)} />
                <Figure tag="td" class="num" testid="cell-change_pct" value={c.change_pct} text={c.change_pct == null ? '—' : `${c.change_pct > 0 ? '+' : ''}${formatPercent(c.change_pct, store)}`} />
                <Figure tag="td" class="num" testid="cell-predicted_revenue" value={c.predicted_revenue} text={formatCurrency(c.predicted_revenue, store)} />
                <td class="num">{formatRatio(c.marginal_roas_recommended, store)}</td>
                <td data-testid="cell-bound_hit" data-value={c.bound_hit || ''}>{c.bound_hit ? BOUND[c.bound_hit] || c.bound_hit : '—'}</td>
                <td data-testid="cell-fit" class="small">{fitReason(c.fit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {result.excluded?.length > 0 && (
        <p class="muted small">Not in the plan: {result.excluded.map((e) => `${channelLabel(e.channel)} (${e.detail || e.reason})`).join('; ')}.</p>
      )}
      {result.warnings?.length > 0 && <ul class="warnings">{result.warnings.map((w) => <li key={w}>{w}</li>)}</ul>}
    </div>
  );
}

function Optimizer({ store, suggested }) {
  const { api } = usePage();
  const [total, setTotal] = useState(suggested ? String(Math.round(suggested)) : '');
  const [run, setRun] = useState({ busy: false, result: null, error: null });
  const submit = async (event) => {
    event.preventDefault();
    const value = Number(total);
    if (!total || !Number.isFinite(value) || value <= 0) {
      setRun({ busy: false, result: null, error: new Error('Enter a total budget above 0.') });
      return;
    }
    const release = hold('optimizer');
    setRun({ busy: true, result: null, error: null });
    try {
      const result = await api.get('/budget/optimize', { total_budget: String(value) });
      setRun({ busy: false, result, error: null });
    } catch (error) {
      setRun({ busy: false, result: null, error });
    } finally {
      // released after the result's charts registered their own holds (same commit)
      setTimeout(release, 0);
    }
  };
  return (
    <Panel title="Budget optimizer (next 30 days)">
      <form class="optimizer-form" onSubmit={submit}>
        <label for="optimizer-total">Total budget ({store.currency || 'USD'})</label>
        <input id="optimizer-total" data-testid="optimizer-total" type="number" min="1" step="any" inputMode="decimal"
          value={total} onInput={(e) => setTotal(e.currentTarget.value)} />
        <button type="submit" class="primary" data-testid="optimizer-run" disabled={run.busy}>
          {run.busy ? 'Optimising…' : 'Optimise'}
        </button>
      </form>
      {run.busy && <Skeleton lines={5} />}
      <ErrorBanner error={run.error} />
      {run.result && <OptimizerResult result={run.result} store={store} />}
    </Panel>
  );
}

export function Budget() {
  const { api, store } = usePage();
  const [month, setMonth] = useState(null);
  // the optimizer's starting total: the last 30 days' spend, from the dashboard's default window
  const [spend] = useApi((signal) => api.get('/dashboard', { days: '30' }, signal)
    .then((d) => d.channels?.overall?.cost ?? null, () => null), [api]);
  return (
    <>
      <Utilization store={store} month={month} setMonth={setMonth} />
      {spend.loading ? <Panel title="Budget optimizer (next 30 days)"><Skeleton lines={2} /></Panel>
        : <Optimizer store={store} suggested={spend.data} />}
    </>
  );
}
