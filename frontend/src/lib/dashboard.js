import { rangeParams } from './range.js';

/** The dashboard figures, and the previous period's conversions (the API compares the money metrics only). */
export async function loadDashboard(api, range, signal, { withPrevious = false } = {}) {
  const dashboard = await api.get('/dashboard', rangeParams(range), signal);
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

const STALE_HOURS = 48;

/** The data-quality badge: ok when nothing is quarantined (superseded duplicates aside) and the last build is
 * recent; warn otherwise; error when the check could not be read. */
export function qualityStatus(quality, dataAsOf, now = Date.now()) {
  if (!quality) return 'error';
  const stale = !dataAsOf || now - new Date(dataAsOf).getTime() > STALE_HOURS * 3600 * 1000;
  return quality.excluding_duplicates > 0 || stale ? 'warn' : 'ok';
}
