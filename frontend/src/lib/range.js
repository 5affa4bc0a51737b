// Date range and attribution model: the page's shared state, kept in the URL query so deep links reproduce a view.
export const PRESETS = [7, 30, 90];
export const DEFAULT_DAYS = 30;
export const MAX_RANGE_DAYS = 731;
export const MODELS = ['first_touch', 'last_touch', 'linear', 'time_decay', 'position_based', 'data_driven'];
export const MODEL_LABELS = {
  first_touch: 'First touch', last_touch: 'Last touch', linear: 'Linear', time_decay: 'Time decay',
  position_based: 'Position based', data_driven: 'Data driven',
};
export const CHANNELS = ['seo', 'influencer', 'social', 'ads', 'email', 'referral', 'direct'];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Day number of an ISO date (UTC midnight), or null when it is not a real calendar date. */
export function dayNumber(iso) {
  if (typeof iso !== 'string' || !ISO_DATE.test(iso)) return null;
  const [y, m, d] = iso.split('-').map(Number);
  const time = Date.UTC(y, m - 1, d);
  const date = new Date(time);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return time / 86400000;
}

/** Days in an inclusive range. */
export function rangeLength(start, end) {
  return dayNumber(end) - dayNumber(start) + 1;
}

/** Checks a custom range; answers an error message or null. */
export function validateRange(start, end) {
  if (!start || !end) return 'Choose a start and an end date.';
  const a = dayNumber(start);
  const b = dayNumber(end);
  if (a === null) return `Start date ${start} is not a valid date.`;
  if (b === null) return `End date ${end} is not a valid date.`;
  if (a > b) return 'The start date is after the end date.';
  if (b - a + 1 > MAX_RANGE_DAYS) return `The range is ${b - a + 1} days; at most ${MAX_RANGE_DAYS} days are allowed.`;
  return null;
}

/** The default state: the last 30 days of data, the marts' default model. */
export function defaultState() {
  return { days: DEFAULT_DAYS, start: null, end: null, model: null };
}

export function presetState(state, days) {
  return { ...state, days, start: null, end: null };
}

export function customState(state, start, end) {
  const error = validateRange(start, end);
  if (error) return { state, error };
  return { state: { ...state, days: null, start, end }, error: null };
}

export function modelState(state, model) {
  return { ...state, model: MODELS.includes(model) ? model : null };
}

/** Parses a URL query (string or URLSearchParams); invalid values fall back to the defaults. */
export function stateFromQuery(query) {
  const params = query instanceof URLSearchParams ? query : new URLSearchParams(query || '');
  const state = defaultState();
  const start = params.get('start_date');
  const end = params.get('end_date');
  const days = params.get('days');
  if (start && end && !validateRange(start, end)) {
    Object.assign(state, { days: null, start, end });
  } else if (days && /^\d{1,3}d?$/.test(days)) {
    const n = parseInt(days, 10);
    if (n >= 1 && n <= MAX_RANGE_DAYS) state.days = n;
  }
  const model = params.get('model');
  if (model && MODELS.includes(model)) state.model = model;
  return state;
}

/** The API's range parameters of a state (also what the page's URL carries). */
export function rangeParams(state) {
  const params = new URLSearchParams();
  if (state.start && state.end) {
    params.set('start_date', state.start);
    params.set('end_date', state.end);
  } else {
    params.set('days', String(state.days || DEFAULT_DAYS));
  }
  return params;
}

/** The page's URL query of a state: the range, then the model when one was picked. */
export function queryFromState(state) {
  const params = rangeParams(state);
  if (state.model) params.set('model', state.model);
  return params.toString();
}

export function sameState(a, b) {
  return queryFromState(a) === queryFromState(b);
}
