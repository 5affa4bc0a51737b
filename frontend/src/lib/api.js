// The API client: same-origin fetches with the session cookie, the CSRF token on POST/DELETE, the JSON
// envelope unwrapped, and a 401 anywhere sent to the sign-in page.
export const BASE = '/api/marketing/analytics';

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The message of an error envelope, else a sentence naming the HTTP status. */
export function errorFromResponse(status, body) {
  const error = body && typeof body === 'object' ? body.error : null;
  if (error && typeof error === 'object' && error.message) {
    return new ApiError(status, error.code || 'error', String(error.message), error.details);
  }
  if (status === 401) return new ApiError(401, 'unauthorized', 'Your session has ended; please sign in again.');
  return new ApiError(status, 'http_error', `The server answered ${status}.`);
}

export function createClient({ fetchImpl, onUnauthorized } = {}) {
  let csrfToken = null;
  const doFetch = fetchImpl || ((...args) => globalThis.fetch(...args));

  async function request(method, path, { params, body, signal, allow401 = false } = {}) {
    const query = params ? `?${new URLSearchParams(params).toString()}` : '';
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if ((method === 'POST' || method === 'DELETE') && csrfToken) headers['X-CSRF-Token'] = csrfToken;
    let response;
    try {
      response = await doFetch(`${BASE}${path}${query}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        signal,
      });
    } catch (err) {
      if (err && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection and retry.');
    }
    let payload;
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
    if (!response.ok || (payload && payload.success === false)) {
      const error = errorFromResponse(response.status, payload);
      if (response.status === 401 && !allow401 && onUnauthorized) onUnauthorized(error);
      throw error;
    }
    if (!payload || typeof payload !== 'object') {
      throw new ApiError(response.status, 'bad_response', 'The server sent an unreadable answer.');
    }
    return { data: payload.data, status: response.status };
  }

  const get = async (path, params, signal) => (await request('GET', path, { params, signal })).data;

  return {
    request,
    get,
    get csrfToken() { return csrfToken; },
    /** Signs in with an API key; the key is sent once and kept nowhere. */
    async signIn(apiKey) {
      const { data } = await request('POST', '/session', { body: { api_key: apiKey }, allow401: true });
      csrfToken = data.csrf_token || null;
      return data;
    },
    /** The current session (store, data_as_of, csrf_token); a 401 means not signed in. */
    async session(signal) {
      const { data } = await request('GET', '/session', { signal, allow401: true });
      csrfToken = data.csrf_token || csrfToken;
      return data;
    },
    async signOut() {
      try {
        await request('DELETE', '/session', { allow401: true });
      } finally {
        csrfToken = null;
      }
    },
    post: async (path, body) => request('POST', path, { body: body === undefined ? {} : body }),
  };
}
