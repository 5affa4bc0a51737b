import { useMemo, useRef, useState } from 'preact/hooks';
import { usePage } from '../context.js';
import { useApi } from '../lib/hooks.js';
import { ChartView } from '../lib/charts.jsx';
import {
  bandChartData, bandRanges, channelBarData, channelsOf, countPoints, timelineData,
} from '../lib/chartData.js';
import { formatCurrency, formatMetric, formatNumber } from '../lib/format.js';
import { CHANNELS, MODEL_LABELS, queryFromState, rangeParams } from '../lib/range.js';
import { channelLabel } from '../lib/palette.js';
import { navigate } from '../lib/router.jsx';
import { EmptyState, ErrorBanner, Figure, Panel, Skeleton, TableScroll } from '../components/common.jsx';
import { isEmptyDashboard, loadDashboard } from '../lib/dashboard.js';
import { ForecastPanel } from '../components/Forecast.jsx';

export const TABLE_COLUMNS = [
  ['revenue', 'Revenue', 'money'],
  ['cost', 'Cost', 'money'],
  ['profit', 'Gross profit', 'money'],
  ['conversions', 'Conversions', 'count'],
  ['roas', 'ROAS', 'ratio'],
  ['cpa', 'CPA', 'money'],
  ['conversion_rate', 'Conv. rate', 'percent'],
];
const BAR_METRICS = TABLE_COLUMNS.filter(([m]) => ['revenue', 'cost', 'roas', 'cpa', 'conversion_rate'].includes(m));

function valueAxis(kind, store) {
  return {
    beginAtZero: true,
    ticks: { callback: (v) => (kind === 'money' ? formatCurrency(v, store, { compact: true }) : formatMetric(kind, v, store)) },
  };
}

function tooltipFor(kind, store) {
  return { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${formatMetric(kind, ctx.parsed.y ?? ctx.parsed, store)}` } };
}

export function Timeline({ timeseries, store }) {
  const [metric, setMetric] = useState('revenue');
  const data = useMemo(() => timelineData(timeseries, metric), [timeseries, metric]);
  const options = useMemo(() => ({
    scales: { x: { stacked: true, ticks: { maxRotation: 0, autoSkipPadding: 12 } }, y: { stacked: true, ...valueAxis('money', store) } },
    plugins: { tooltip: tooltipFor('money', store), legend: { position: 'bottom' } },
  }), [store]);
  const days = data.labels.length;
  const total = data.datasets.reduce((sum, ds) => sum + ds.data.reduce((a, b) => a + (b || 0), 0), 0);
  const label = `Stacked daily ${metric === 'revenue' ? 'revenue' : 'spend'} per channel over ${days} days, total ${
    formatCurrency(total, store)}.`;
  return (
    <Panel title={`Daily ${metric === 'revenue' ? 'revenue' : 'spend'} by channel`} actions={(
      <div class="segmented" role="group" aria-label="Timeline metric">
        <button type="button" aria-pressed={metric === 'revenue' ? 'true' : 'false'} onClick={() => setMetric('revenue')}>Revenue</button>
        <button type="button" aria-pressed={metric === 'cost' ? 'true' : 'false'} onClick={() => setMetric('cost')}>Spend</button>
      </div>
    )}>
      <ChartView name="timeline" data={data} options={options} label={label} height={300} />
    </Panel>
  );
}

function ChannelsTable({ channels, store }) {
  const rows = [...channelsOf(channels), 'overall'].filter((c) => channels[c]);
  return (
    <TableScroll label="Channel metrics">
      <table data-testid="channels-table">
        <thead>
          <tr><th scope="col">Channel</th>{TABLE_COLUMNS.map(([, label]) => <th key={label} scope="col" class="num">{label}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c} data-testid={`row-${c}`} class={c === 'overall' ? 'total-row' : ''}>
              <th scope="row">{channelLabel(c)}</th>
              {TABLE_COLUMNS.map(([metric, , kind]) => (
                <Figure key={metric} tag="td" class="num" testid={`cell-${metric}`} value={channels[c][metric]}
                  text={formatMetric(kind, channels[c][metric], store)} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function ChannelBars({ channels, store }) {
  const [metric, setMetric] = useState('revenue');
  const [, label, kind] = BAR_METRICS.find(([m]) => m === metric);
  const data = useMemo(() => channelBarData(channels, metric, label), [channels, metric, label]);
  const options = useMemo(() => ({
    scales: { y: valueAxis(kind, store) },
    plugins: { legend: { display: false }, tooltip: tooltipFor(kind, store) },
  }), [kind, store]);
  const summary = channelsOf(channels).map((c) => `${channelLabel(c)} ${formatMetric(kind, channels[c][metric], store)}`).join(', ');
  return (
    <Panel title={`${label} by channel`} actions={(
      <label class="inline-select">
        <span class="sr-only">Metric</span>
        <select value={metric} onChange={(e) => setMetric(e.currentTarget.value)} data-testid="channels-metric">
          {BAR_METRICS.map(([m, l]) => <option key={m} value={m}>{l}</option>)}
        </select>
      </label>
    )}>
      <ChartView name="channels" data={data} options={options} label={`${label} by channel: ${summary}.`} />
    </Panel>
  );
}

function ChannelTabs({ selected, onSelect }) {
  const refs = useRef({});
  const onKey = (event) => {
    const i = CHANNELS.indexOf(selected);
    let next = null;
    if (event.key === 'ArrowRight') next = CHANNELS[(i + 1) % CHANNELS.length];
    else if (event.key === 'ArrowLeft') next = CHANNELS[(i - 1 + CHANNELS.length) % CHANNELS.length];
    else if (event.key === 'Home') next = CHANNELS[0];
    else if (event.key === 'End') next = CHANNELS[CHANNELS.length - 1];
    if (next) {
      event.preventDefault();
      onSelect(next);
      refs.current[next]?.focus();
    }
  };
  return (
    <div class="channel-tabs" role="tablist" aria-label="Channel" onKeyDown={onKey}>
      {CHANNELS.map((c) => (
        <button key={c} type="button" role="tab" id={`tab-${c}`} data-testid={`tab-${c}`}
          aria-selected={c === selected ? 'true' : 'false'} aria-controls="channel-panel"
          tabIndex={c === selected ? 0 : -1} ref={(el) => { refs.current[c] = el; }} onClick={() => onSelect(c)}>
          {channelLabel(c)}
        </button>
      ))}
    </div>
  );
}

const METRIC_KIND = { cpc: 'money', cpa: 'money', roas: 'ratio' };
const METRIC_LABELS = {
  conversion_rate: 'Conversion rate', bounce_rate: 'Bounce rate', engagement_rate: 'Engagement rate', cpc: 'CPC',
  cpa: 'CPA', roas: 'ROAS', roi: 'ROI', ctr: 'CTR', open_rate: 'Open rate', click_rate: 'Click rate',
};
const metricKind = (name, m) => METRIC_KIND[name] || (m?.unit === 'percent' ? 'percent' : m?.unit === 'currency' ? 'money' : 'ratio');
const metricLabel = (name) => METRIC_LABELS[name] || name.replace(/_/g, ' ');

/** Draws the store's value as a vertical line over the bands. */
const valueMarker = (value) => ({
  id: 'valueMarker',
  afterDatasetsDraw(chart) {
    if (value === null || value === undefined) return;
    const { ctx, chartArea, scales } = chart;
    const x = scales.x.getPixelForValue(value);
    ctx.save();
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(x, chartArea.top - 2);
    ctx.lineTo(x, chartArea.bottom + 2);
    ctx.stroke();
    ctx.restore();
  },
});

function BenchmarkRow({ name, metric, store }) {
  const kind = metricKind(name, metric);
  const ranges = bandRanges(metric);
  const data = useMemo(() => bandChartData(metric), [metric]);
  const points = data ? countPoints(data) + (metric.value == null ? 0 : 1) : 0;
  const options = useMemo(() => (ranges ? {
    indexAxis: 'y',
    scales: {
      x: { min: ranges.min, max: ranges.max, ticks: { callback: (v) => formatMetric(kind, v, store) } },
      y: { display: false },
    },
    plugins: {
      legend: { display: false },
      tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${formatMetric(kind, ctx.raw[0], store)} – ${formatMetric(kind, ctx.raw[1], store)}` } },
    },
  } : null), [ranges?.min, ranges?.max, kind, store]);
  const plugins = useMemo(() => [valueMarker(metric.value)], [metric.value]);
  const b = metric.benchmarks || {};
  const rating = metric.rating || 'insufficient_data';
  const label = `${metricLabel(name)}: store value ${formatMetric(kind, metric.value, store)}, rated ${rating.replace('_', ' ')}; `
    + `bands average from ${formatMetric(kind, b.average, store)}, good from ${formatMetric(kind, b.good, store)}, `
    + `excellent from ${formatMetric(kind, b.excellent, store)}${metric.direction === 'lower_is_better' ? ' (lower is better)' : ''}.`;
  return (
    <div class="benchmark-row" data-testid={`benchmark-${name}`} data-rating={rating}>
      <div class="benchmark-head">
        <strong>{metricLabel(name)}</strong>
        <Figure value={metric.value} text={formatMetric(kind, metric.value, store)} testid="benchmark-value" />
        <span class={`rating rating-${rating}`}>{rating.replace('_', ' ')}</span>
        {metric.direction === 'lower_is_better' && <span class="muted small">lower is better</span>}
      </div>
      {data ? (
        <ChartView name={`benchmark-${name}`} data={data} options={options} plugins={plugins} label={label}
          height={70} points={points} />
      ) : <p class="muted small">No benchmark range for this metric.</p>}
      {metric.rating_reason && <p class="muted small">Not rated: {metric.rating_reason.replace(/_/g, ' ')}</p>}
    </div>
  );
}

function ChannelDetail({ channel }) {
  const { api, range, store } = usePage();
  const key = `${channel}|${queryFromState(range)}`;
  const [state, , retry] = useApi(async (signal) => {
    const params = rangeParams(range);
    const roiParams = new URLSearchParams(params);
    if (range.model) roiParams.set('model', range.model);
    const [roi, benchmarks] = await Promise.all([
      api.get(`/roi/${channel}`, roiParams, signal),
      api.get(`/benchmarks/${channel}`, params, signal),
    ]);
    return { roi, benchmarks };
  }, [key]);
  return (
    <div id="channel-panel" role="tabpanel" aria-labelledby={`tab-${channel}`} class="channel-panel">
      {state.loading && <Skeleton lines={5} />}
      {state.error && <ErrorBanner error={state.error} onRetry={retry} />}
      {state.data && (
        <>
          <div class="cards small-cards">
            {[['revenue', 'Revenue', 'money'], ['cost', 'Cost', 'money'], ['roi', 'ROI', 'percent'], ['roas', 'ROAS', 'ratio']]
              .map(([m, label, kind]) => (
                <div class="card" key={m}>
                  <h3>{label}</h3>
                  <Figure class="card-value" testid={`roi-${m}`} value={state.data.roi[m]}
                    text={formatMetric(kind, state.data.roi[m], store)} />
                </div>
              ))}
          </div>
          <p class="muted small">Revenue attributed with the {MODEL_LABELS[state.data.roi.model] || state.data.roi.model} model;
            {' '}{formatNumber(state.data.roi.conversions, store, 1)} conversions.</p>
          <h3>Benchmarks ({state.data.benchmarks.industry})</h3>
          <div class="benchmarks">
            {Object.entries(state.data.benchmarks.metrics).map(([name, metric]) => (
              <BenchmarkRow key={name} name={name} metric={metric} store={store} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

export function Channels({ sub }) {
  const { api, range, store, location } = usePage();
  const selected = CHANNELS.includes(sub) ? sub : CHANNELS[0];
  const key = queryFromState({ ...range, model: null });
  const [state, , retry] = useApi((signal) => loadDashboard(api, range, signal), [key]);
  const select = (c) => navigate(`/dashboard/channels/${c}`, { search: location.search.replace(/^\?/, '') });
  return (
    <>
      {state.loading && <Panel title="Channels"><Skeleton lines={8} /></Panel>}
      {state.error && <ErrorBanner error={state.error} onRetry={retry} />}
      {state.data && (
        <>
          {isEmptyDashboard(state.data.dashboard) && <EmptyState />}
          <Panel title="Channels">
            <ChannelsTable channels={state.data.dashboard.channels} store={store} />
          </Panel>
          <ChannelBars channels={state.data.dashboard.channels} store={store} />
          <Timeline timeseries={state.data.dashboard.timeseries} store={store} />
        </>
      )}
      <Panel title={`${channelLabel(selected)}: ROI and benchmarks`}>
        <ChannelTabs selected={selected} onSelect={select} />
        <ChannelDetail key={selected} channel={selected} />
      </Panel>
      <ForecastPanel channel={selected} chartName="forecast" />
    </>
  );
}

