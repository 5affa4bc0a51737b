// Data shaping of the forecast panel (GET /forecast) and the month projections (/dashboard's projections).
export const FORECAST_METRICS = [
  ['revenue', 'Revenue', 'money'],
  ['cost', 'Cost', 'money'],
  ['conversions', 'Conversions', 'count'],
  ['sessions', 'Sessions', 'count'],
];
export const FORECAST_HORIZONS = [30, 90];
// the API's "not there yet" answers: a calm empty state, never an error banner
export const NOT_READY_CODES = new Set(['forecast_not_ready', 'insufficient_history']);

const FORECAST_COLOR = '#0072B2';
const HISTORY_COLOR = '#000000';
const BAND_95 = 'rgba(86, 180, 233, 0.18)';
const BAND_80 = 'rgba(86, 180, 233, 0.38)';

/** The interval bounds of the forecast rows as four arrays in row order. */
export function bandsOf(rows) {
  const pick = (key) => rows.map((r) => (r[key] === undefined ? null : r[key]));
  return { lower80: pick('lower_80'), upper80: pick('upper_80'), lower95: pick('lower_95'), upper95: pick('upper_95') };
}

/**
 * One x axis for history + forecast (the forecast starts the day after the last history day). The forecast line
 * and the bands start at the last history point so the lines join without a gap; that joint is drawn, not counted.
 * points = history rows + forecast rows (what the API gave).
 */
export function forecastChartData(payload) {
  const history = payload?.history || [];
  const rows = payload?.forecast || [];
  const labels = [...history.map((r) => r.date), ...rows.map((r) => r.date)];
  const pad = (values, joint) => {
    const lead = Array(history.length).fill(null);
    if (history.length && rows.length) lead[history.length - 1] = joint;
    return [...lead, ...values];
  };
  const last = history.length ? history[history.length - 1].value : null;
  const bands = bandsOf(rows);
  const band = (label, values, fill, color) => ({
    label, data: pad(values, last), fill, backgroundColor: color, borderWidth: 0, pointRadius: 0, tension: 0,
  });
  return {
    labels,
    points: history.length + rows.length,
    datasets: [
      { label: 'Actual', data: [...history.map((r) => r.value), ...Array(rows.length).fill(null)],
        borderColor: HISTORY_COLOR, backgroundColor: HISTORY_COLOR, borderWidth: 2, pointRadius: 0, fill: false },
      { label: 'Forecast', data: pad(rows.map((r) => r.value), last), borderColor: FORECAST_COLOR,
        backgroundColor: FORECAST_COLOR, borderWidth: 2, borderDash: [6, 4], pointRadius: 0, fill: false },
      // each upper bound fills down to its lower bound (the dataset just before it)
      band('95 % lower', bands.lower95, false, BAND_95),
      band('95 % interval', bands.upper95, '-1', BAND_95),
      band('80 % lower', bands.lower80, false, BAND_80),
      band('80 % interval', bands.upper80, '-1', BAND_80),
    ],
  };
}

/** A 409 the panel shows as an empty state ({empty, code, message}); any other error is thrown on. */
export function forecastOutcome(error) {
  if (error && error.status === 409 && NOT_READY_CODES.has(error.code)) {
    return { empty: true, code: error.code, message: error.message };
  }
  throw error;
}

/** Loads one forecast; a not-ready answer resolves to the empty outcome instead of rejecting. */
export async function loadForecast(api, { metric, channel, horizon }, signal) {
  try {
    const data = await api.get('/forecast', { metric, channel, horizon: String(horizon) }, signal);
    return { empty: false, data };
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    return forecastOutcome(error);
  }
}

/** The overall month projection's figures for the compact card (null without projections). */
export function projectionSummary(projections, channel = 'overall') {
  const p = projections?.channels?.[channel];
  if (!p) return null;
  const { revenue, cost } = p;
  return {
    monthStart: projections.month_start,
    asOf: projections.as_of,
    daysElapsed: projections.days_elapsed,
    daysInMonth: projections.days_in_month,
    revenue,
    cost,
    budgetLeft: cost.budget === null || cost.budget === undefined ? null : cost.budget - cost.projected,
  };
}
