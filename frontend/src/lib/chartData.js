// Shapes API responses into Chart.js data (labels + datasets). Pure functions, unit-tested.
import { CHANNELS, MODELS, MODEL_LABELS } from './range.js';
import { BAND_COLORS, SERIES_COLORS, channelColor, channelLabel } from './palette.js';

/** Channels of a response object in the canonical order, without `overall`. */
export function channelsOf(object) {
  if (!object) return [];
  const keys = Object.keys(object).filter((key) => key !== 'overall');
  const known = CHANNELS.filter((c) => keys.includes(c));
  return known.concat(keys.filter((k) => !CHANNELS.includes(k)).sort());
}

/** Number of data points a chart draws: every entry of every dataset. */
export function countPoints(data) {
  return (data?.datasets || []).reduce((n, ds) => n + (ds.data ? ds.data.length : 0), 0);
}

/** Bar chart of one metric across channels (dashboard `channels`). */
export function channelBarData(channelsMetrics, metric, metricLabel) {
  const channels = channelsOf(channelsMetrics);
  return {
    labels: channels.map(channelLabel),
    datasets: [{
      label: metricLabel || metric,
      data: channels.map((c) => channelsMetrics[c][metric] ?? null),
      backgroundColor: channels.map(channelColor),
    }],
  };
}

/** Stacked daily series, one dataset per channel (dashboard `timeseries`; metric revenue | cost). */
export function timelineData(timeseries, metric = 'revenue') {
  const channels = channelsOf(timeseries?.channels);
  return {
    labels: timeseries?.dates ? [...timeseries.dates] : [],
    datasets: channels.map((c) => ({
      label: channelLabel(c),
      data: [...(timeseries.channels[c][metric] || [])],
      backgroundColor: channelColor(c),
      borderColor: channelColor(c),
      stack: metric,
    })),
  };
}

/** Grouped bars: one group per channel, one bar per model (`/attribution?model=all`). */
export function attributionModelsData(allModels) {
  const models = MODELS.filter((m) => allModels?.models?.[m]);
  const channelSet = new Set();
  models.forEach((m) => Object.keys(allModels.models[m].attribution || {}).forEach((c) => channelSet.add(c)));
  const channels = channelsOf(Object.fromEntries([...channelSet].map((c) => [c, true])));
  return {
    labels: channels.map(channelLabel),
    datasets: models.map((m, i) => ({
      label: MODEL_LABELS[m] || m,
      data: channels.map((c) => allModels.models[m].attribution[c] ?? 0),
      backgroundColor: SERIES_COLORS[i % SERIES_COLORS.length],
    })),
  };
}

/** Donut of the selected model's revenue per channel. */
export function attributionShareData(result) {
  const channels = channelsOf(result?.attribution);
  return {
    labels: channels.map(channelLabel),
    datasets: [{
      label: 'Attributed revenue',
      data: channels.map((c) => result.attribution[c]),
      backgroundColor: channels.map(channelColor),
    }],
  };
}

/**
 * The four rating bands of a benchmark as [from, to] ranges on one axis, following the warehouse's rule:
 * higher_is_better rates >= excellent / good / average, lower_is_better rates <= them; anything worse is poor.
 * The axis runs from 0 to a bit past the largest of the thresholds and the store's value.
 */
export function bandRanges(metric) {
  const b = metric?.benchmarks;
  if (!b || b.average == null || b.good == null || b.excellent == null) return null;
  const value = metric.value;
  const top = Math.max(b.poor ?? 0, b.average, b.good, b.excellent, value ?? 0);
  const lower = metric.direction === 'lower_is_better';
  const min = Math.min(0, value ?? 0, b.poor ?? 0);
  const max = top * 1.25 || 1;
  const bands = lower
    ? [
      { band: 'excellent', from: min, to: b.excellent },
      { band: 'good', from: b.excellent, to: b.good },
      { band: 'average', from: b.good, to: b.average },
      { band: 'poor', from: b.average, to: max },
    ]
    : [
      { band: 'poor', from: min, to: b.average },
      { band: 'average', from: b.average, to: b.good },
      { band: 'good', from: b.good, to: b.excellent },
      { band: 'excellent', from: b.excellent, to: max },
    ];
  return { bands, min, max, value: value ?? null, lowerIsBetter: lower };
}

/** Floating horizontal bars (one per band, same row) for a band chart. */
export function bandChartData(metric) {
  const ranges = bandRanges(metric);
  if (!ranges) return null;
  return {
    labels: [''],
    datasets: ranges.bands.map((r) => ({
      label: r.band,
      data: [[r.from, r.to]],
      backgroundColor: BAND_COLORS[r.band],
      grouped: false,
      barPercentage: 1,
      categoryPercentage: 0.9,
    })),
  };
}

export const FUNNEL_STEPS = ['impressions', 'clicks', 'sessions', 'conversions'];

export function funnelData(row, label) {
  return {
    labels: FUNNEL_STEPS.map((s) => s[0].toUpperCase() + s.slice(1)),
    datasets: [{
      label: label || 'Funnel',
      data: FUNNEL_STEPS.map((s) => row?.[s] ?? null),
      backgroundColor: ['#0072B2', '#56B4E9', '#009E73', '#E69F00'],
    }],
  };
}

/** Budget vs spent vs projected per channel (`/budget/utilization`). */
export function utilizationData(utilization) {
  const rows = utilization?.channels || [];
  return {
    labels: rows.map((r) => channelLabel(r.channel)),
    datasets: [
      { label: 'Monthly budget', data: rows.map((r) => r.monthly_budget), backgroundColor: '#999999' },
      { label: 'Spent', data: rows.map((r) => r.spent), backgroundColor: '#0072B2' },
      { label: 'Projected', data: rows.map((r) => r.projected_spend), backgroundColor: '#E69F00' },
    ],
  };
}

export const SCENARIOS = [
  ['current', 'Current split'],
  ['proportional_roas', 'Proportional to ROAS'],
  ['recommended', 'Recommended'],
];

/** Current vs proportional vs recommended budget per channel (`/budget/optimize`). */
export function optimizerData(result) {
  const channels = (result?.channels || []).map((c) => c.channel);
  return {
    labels: channels.map(channelLabel),
    datasets: SCENARIOS.filter(([key]) => result?.scenarios?.[key]).map(([key, label], i) => ({
      label,
      data: channels.map((c) => result.scenarios[key].allocation[c] ?? 0),
      backgroundColor: ['#999999', '#56B4E9', '#009E73'][i],
    })),
  };
}
