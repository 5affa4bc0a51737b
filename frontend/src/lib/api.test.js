import { describe, expect, it, vi } from 'vitest';
import { ApiError, createClient, errorFromResponse } from './api.js';

function reply(status, body) {
  return Promise.resolve({
    ok: status >= 200 && status < 300,
    status,
    json: () => (body === undefined ? Promise.reject(new SyntaxError('no json')) : Promise.resolve(body)),
  });
}

describe('API client', () => {
  it('unwraps the envelope and sends same-origin credentials', async () => {
    const fetchImpl = vi.fn(() => reply(200, { success: true, data: { a: 1 } }));
    const api = createClient({ fetchImpl });
    expect(await api.get('/dashboard', { days: '7' })).toEqual({ a: 1 });
    const [url, init] = fetchImpl.mock.calls[0];
    expect(url).toBe('/api/marketing/analytics/dashboard?days=7');
    expect(init.credentials).toBe('same-origin');
    expect(init.method).toBe('GET');
    expect(init.headers['X-CSRF-Token']).toBeUndefined();
  });

  it("maps an error envelope to the API's message", async () => {
    const fetchImpl = () => reply(400, {
      success: false, error: { code: 'invalid_input', message: 'start_date: must be before end_date' },
    });
    const api = createClient({ fetchImpl });
    const err = await api.get('/dashboard').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid_input');
    expect(err.message).toBe('start_date: must be before end_date');
  });

  it('names the status when the body is not an envelope', () => {
    expect(errorFromResponse(502, undefined).message).toBe('The server answered 502.');
    expect(errorFromResponse(500, { error: 'boom' }).code).toBe('http_error');
  });

  it('calls onUnauthorized on a 401 from a data call, not from the session probe', async () => {
    const onUnauthorized = vi.fn();
    const fetchImpl = () => reply(401, { success: false, error: { code: 'unauthorized', message: 'session expired' } });
    const api = createClient({ fetchImpl, onUnauthorized });
    await expect(api.session()).rejects.toThrow('session expired');
    expect(onUnauthorized).not.toHaveBeenCalled();
    await expect(api.get('/insights')).rejects.toThrow('session expired');
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('keeps the CSRF token in memory and sends it on POST and DELETE only', async () => {
    const calls = [];
    const fetchImpl = (url, init) => {
      calls.push([url, init]);
      if (url.endsWith('/session') && init.method === 'POST') {
        return reply(200, { success: true, data: { store_id: 's', csrf_token: 'tok123' } });
      }
      return reply(200, { success: true, data: {} });
    };
    const api = createClient({ fetchImpl });
    await api.signIn('mk_secret');
    expect(JSON.parse(calls[0][1].body)).toEqual({ api_key: 'mk_secret' });
    await api.get('/insights');
    await api.post('/insights/abc/dismiss');
    await api.signOut();
    expect(calls[1][1].headers['X-CSRF-Token']).toBeUndefined();
    expect(calls[2][1].headers['X-CSRF-Token']).toBe('tok123');
    expect(calls[3][1].method).toBe('DELETE');
    expect(calls[3][1].headers['X-CSRF-Token']).toBe('tok123');
    expect(api.csrfToken).toBe(null);
  });

  it('turns a network failure into a readable error and passes aborts through', async () => {
    const api = createClient({ fetchImpl: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(api.get('/dashboard')).rejects.toMatchObject({ code: 'network_error' });
    const abort = new DOMException('aborted', 'AbortError');
    const aborted = createClient({ fetchImpl: () => Promise.reject(abort) });
    await expect(aborted.get('/dashboard')).rejects.toBe(abort);
  });

  it('reports the HTTP status of a success (202 for a queued job)', async () => {
    const api = createClient({ fetchImpl: () => reply(202, { success: true, data: { job_id: 'j1', status: 'queued' } }) });
    expect(await api.post('/insights/generate')).toEqual({ data: { job_id: 'j1', status: 'queued' }, status: 202 });
  });
});
