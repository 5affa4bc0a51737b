import { useMemo, useState } from 'preact/hooks';
import { usePage } from '../context.js';
import { useApi } from '../lib/hooks.js';
import { ChartView } from '../lib/charts.jsx';
import { FORECAST_HORIZONS, FORECAST_METRICS, forecastChartData, loadForecast, projectionSummary } from '../lib/forecast.js';
import { formatCurrency, formatDate, formatDateTime, formatMetric, formatPercent } from '../lib/format.js';
import { channelLabel } from '../lib/palette.js';
import { ErrorBanner, Figure, Panel, Skeleton } from './common.jsx';

/** The stored forecast of one channel (or overall): 8 weeks of history, the forecast and its 80 / 95 % bands. */
export function ForecastPanel({ channel, chartName }) {
  const { api, store } = usePage();
  const [metric, setMetric] = useState('revenue');
  const [horizon, setHorizon] = useState(30);
  const [state, , retry] = useApi((signal) => loadForecast(api, { metric, channel, horizon }, signal),
    [channel, metric, horizon]);
  const [, metricLabel, kind] = FORECAST_METRICS.find(([m]) => m === metric);
  const payload = state.data && !state.data.empty ? state.data.data : null;
  const data = useMemo(() => (payload ? forecastChartData(payload) : null), [payload]);
  const options = useMemo(() => ({
    interaction: { mode: 'index', intersect: false },
    scales: {
      x: { ticks: { maxRotation: 0, autoSkipPadding: 16 } },
      y: { beginAtZero: true, ticks: { callback: (v) => (kind === 'money' ? formatCurrency(v, store, { compact: true }) : formatMetric(kind, v, store)) } },
    },
    plugins: {
      legend: { position: 'bottom', labels: { filter: (item) => !item.text.endsWith('lower') } },
      tooltip: {
        filter: (item) => item.raw !== null && !item.dataset.label.endsWith('lower'),
        callbacks: {
          // an interval's upper dataset follows its lower one: show the range, not the upper bound alone
          label: (ctx) => (ctx.dataset.label.endsWith('interval')
            ? `${ctx.dataset.label}: ${formatMetric(kind, ctx.chart.data.datasets[ctx.datasetIndex - 1].data[ctx.dataIndex], store)}`
              + ` – ${formatMetric(kind, ctx.raw, store)}`
            : `${ctx.dataset.label}: ${formatMetric(kind, ctx.raw, store)}`),
        },
      },
    },
  }), [kind, store]);
  const rows = payload?.forecast || [];
  const total = rows.reduce((sum, r) => sum + r.value, 0);
  const label = payload ? `${metricLabel} of ${channelLabel(channel)}: ${payload.history.length} days of history and a `
    + `${rows.length}-day forecast totalling ${formatMetric(kind, total, store)}, with 80 % and 95 % intervals.` : '';
  return (
    <Panel title={`${channelLabel(channel)}: forecast`} class="forecast-panel" actions={(
      <div class="forecast-controls">
        <label class="inline-select">
          <span class="sr-only">Forecast metric</span>
          <select value={metric} data-testid="forecast-metric" onChange={(e) => setMetric(e.currentTarget.value)}>
            {FORECAST_METRICS.map(([m, l]) => <option key={m} value={m}>{l}</option>)}
          </select>
        </label>
        <label class="inline-select">
          <span class="sr-only">Forecast horizon</span>
          <select value={String(horizon)} data-testid="forecast-horizon"
            onChange={(e) => setHorizon(Number(e.currentTarget.value))}>
            {FORECAST_HORIZONS.map((h) => <option key={h} value={String(h)}>{h} days</option>)}
          </select>
        </label>
      </div>
    )}>
      <div data-testid="forecast-panel" data-channel={channel} data-metric={metric} data-horizon={horizon}>
        {state.loading && <Skeleton lines={5} />}
        {state.error && <ErrorBanner error={state.error} onRetry={retry} />}
        {state.data?.empty && (
          <p class="forecast-empty muted" data-testid="forecast-empty" data-code={state.data.code} role="status">
            {state.data.message}
          </p>
        )}
        {payload && (
          <>
            <ChartView name={chartName} type="line" data={data} options={options} label={label} height={260}
              points={data.points} />
            <p class="muted small" data-testid="forecast-model" data-model={payload.model}>
              Model {payload.model}, fitted {formatDateTime(payload.fitted_at, store)}; continues the data of
              {' '}{formatDate(payload.last_data_date, store)}. Shaded: 80 % (dark) and 95 % (light) intervals.
            </p>
          </>
        )}
      </div>
    </Panel>
  );
}

function PacingNote({ cost, store }) {
  if (cost.budget === null || cost.budget === undefined) return <span class="muted">no budget set</span>;
  return (
    <span data-testid="projection-pacing" data-pacing={cost.pacing || ''}>
      <Figure testid="projection-utilization" value={cost.projected_utilization_pct}
        text={formatPercent(cost.projected_utilization_pct, store)} /> of the budget
      {cost.pacing ? ` (${cost.pacing === 'on' ? 'on pace' : `${cost.pacing} budget`})` : ''}
    </span>
  );
}

/** Month-to-date and end-of-month revenue and spend of all channels against the month's budget. */
export function Projections({ projections }) {
  const { store } = usePage();
  const s = projectionSummary(projections);
  if (!s) {
    return (
      <Panel title="This month">
        <p class="muted" data-testid="projections-empty" role="status">
          No month projection yet: it appears once the refresh has fitted the forecasts.
        </p>
      </Panel>
    );
  }
  const money = (v) => formatCurrency(v, store);
  return (
    <Panel title={`This month (${s.daysElapsed} of ${s.daysInMonth} days, data to ${formatDate(s.asOf, store)})`}>
      <div class="table-scroll" role="region" aria-label="Month projections" tabIndex={0}>
        <table data-testid="projections" class="projections">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col" class="num">Month to date</th>
              <th scope="col" class="num">Projected month end</th>
              <th scope="col" class="num">80 % interval</th>
              <th scope="col">Compared with</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Revenue</th>
              <Figure tag="td" class="num" testid="projection-revenue-mtd" value={s.revenue.month_to_date}
                text={money(s.revenue.month_to_date)} />
              <Figure tag="td" class="num" testid="projection-revenue" value={s.revenue.projected}
                text={money(s.revenue.projected)} />
              <td class="num">{money(s.revenue.lower_80)} – {money(s.revenue.upper_80)}</td>
              <td>last month <Figure testid="projection-previous-month" value={s.revenue.previous_month ?? null}
                text={money(s.revenue.previous_month)} /></td>
            </tr>
            <tr>
              <th scope="row">Spend</th>
              <Figure tag="td" class="num" testid="projection-spend-mtd" value={s.cost.month_to_date}
                text={money(s.cost.month_to_date)} />
              <Figure tag="td" class="num" testid="projection-spend" value={s.cost.projected}
                text={money(s.cost.projected)} />
              <td class="num">{money(s.cost.lower_80)} – {money(s.cost.upper_80)}</td>
              <td>budget <Figure testid="projection-budget" value={s.cost.budget ?? null} text={money(s.cost.budget)} />
                {'; '}<PacingNote cost={s.cost} store={store} /></td>
            </tr>
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
