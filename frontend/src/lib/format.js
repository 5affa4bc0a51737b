// Number formatting in the store's currency and locale. Every formatter answers "—" for null/undefined/NaN.
export const DASH = '—';

const cache = new Map();

/** Intl wants BCP 47 ("en-US"); stores may carry POSIX-style locales ("en_US"). */
export function normaliseLocale(locale) {
  if (!locale || typeof locale !== 'string') return 'en-US';
  const tag = locale.replace(/_/g, '-').split('.')[0];
  try {
    return Intl.getCanonicalLocales(tag)[0] || 'en-US';
  } catch {
    return 'en-US';
  }
}

function formatter(locale, options) {
  const key = `${locale}|${JSON.stringify(options)}`;
  let fmt = cache.get(key);
  if (!fmt) {
    try {
      fmt = new Intl.NumberFormat(normaliseLocale(locale), options);
    } catch {
      // an unknown currency code must not break the page: fall back to a plain number
      fmt = new Intl.NumberFormat(normaliseLocale(locale), { maximumFractionDigits: 2 });
    }
    cache.set(key, fmt);
  }
  return fmt;
}

const missing = (value) => value === null || value === undefined || Number.isNaN(Number(value)) || value === '';

export function formatCurrency(value, store, { compact = false } = {}) {
  if (missing(value)) return DASH;
  const options = { style: 'currency', currency: store?.currency || 'USD' };
  if (compact) Object.assign(options, { notation: 'compact', maximumFractionDigits: 1 });
  return formatter(store?.locale, options).format(Number(value));
}

export function formatNumber(value, store, digits = 0) {
  if (missing(value)) return DASH;
  return formatter(store?.locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(Number(value));
}

/** `value` is already in percent (12.5 → "12.5%"), as the API gives rates. */
export function formatPercent(value, store, digits = 1) {
  if (missing(value)) return DASH;
  return formatter(store?.locale, {
    style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(Number(value) / 100);
}

/** ROAS and other ratios: "3.21×". */
export function formatRatio(value, store, digits = 2) {
  if (missing(value)) return DASH;
  const text = formatter(store?.locale, {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(Number(value));
  return `${text}×`;
}

/** A metric's formatted text by kind: money | count | percent | ratio. */
export function formatMetric(kind, value, store) {
  switch (kind) {
    case 'money': return formatCurrency(value, store);
    case 'percent': return formatPercent(value, store);
    case 'ratio': return formatRatio(value, store);
    default: return formatNumber(value, store, 0);
  }
}

/** The raw number for a data-value attribute: as JSON gave it, "" for null. */
export function dataValue(value) {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * Change vs the previous period, for the arrow and its text. "new" when the previous value was 0 (or
 * missing) and the current one is not; the API's direction is kept when it gives one.
 */
export function describeChange(comparison, store) {
  const current = comparison?.current ?? null;
  const previous = comparison?.previous ?? null;
  const change = comparison?.change || {};
  if (previous === null || Number(previous) === 0) {
    if (current === null || Number(current) === 0) return { direction: 'flat', text: formatPercent(0, store) };
    return { direction: 'new', text: 'new' };
  }
  if (current === null) return { direction: 'flat', text: DASH };
  const absolute = change.absolute ?? Number(current) - Number(previous);
  const percentage = change.percentage ?? (absolute / Math.abs(Number(previous))) * 100;
  const direction = change.direction || (absolute > 0 ? 'up' : absolute < 0 ? 'down' : 'flat');
  const sign = percentage > 0 ? '+' : '';
  return { direction, text: `${sign}${formatPercent(percentage, store)}` };
}

export const ARROWS = { up: '▲', down: '▼', flat: '▬', new: '★' };

/** A comparison object ({current, previous, change}) built on the client, the same rules as the API's. */
export function compare(current, previous) {
  if (current === null || current === undefined || previous === null || previous === undefined) {
    return { current: current ?? null, previous: previous ?? null,
      change: { absolute: null, percentage: null, direction: null } };
  }
  const absolute = current - previous;
  const percentage = previous === 0 ? null : (absolute / Math.abs(previous)) * 100;
  const direction = absolute > 0 ? 'up' : absolute < 0 ? 'down' : 'flat';
  return { current, previous, change: { absolute, percentage, direction } };
}

export function formatDateTime(iso, store) {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return DASH;
  const options = { dateStyle: 'medium', timeStyle: 'short' };
  if (store?.timezone) options.timeZone = store.timezone;
  try {
    return new Intl.DateTimeFormat(normaliseLocale(store?.locale), options).format(date);
  } catch {
    return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }
}

/** A store-local ISO date ("2025-03-01") shown in the store's locale, without time-zone shifts. */
export function formatDate(isoDate, store) {
  if (!isoDate) return DASH;
  const [y, m, d] = isoDate.split('-').map(Number);
  if (!y || !m || !d) return isoDate;
  return new Intl.DateTimeFormat(normaliseLocale(store?.locale), { dateStyle: 'medium', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}
