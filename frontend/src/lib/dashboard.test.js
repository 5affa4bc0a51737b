import { describe, expect, it, vi } from 'vitest';
import { isEmptyDashboard, loadDashboard, qualityStatus } from './dashboard.js';

const dash = (conversions) => ({
  channels: { overall: { revenue: 10, cost: 1, sessions: 5, conversions } },
  date_range: { previous_start_date: '2025-01-01', previous_end_date: '2025-01-07' },
});

describe('overview loading', () => {
  it('asks for the previous period named by the first answer', async () => {
    const get = vi.fn(async (path, params) => (params.start_date ? dash(4) : dash(6)));
    const { dashboard, previous } = await loadDashboard({ get }, { days: 7 }, undefined, { withPrevious: true });
    expect(dashboard.channels.overall.conversions).toBe(6);
    expect(previous.channels.overall.conversions).toBe(4);
    expect(get.mock.calls[0][1].toString()).toBe('days=7');
    expect(get.mock.calls[1][1]).toEqual({ start_date: '2025-01-01', end_date: '2025-01-07' });
  });

  it('shows no conversions change when the previous period fails, but passes aborts on', async () => {
    let calls = 0;
    const failing = { get: async () => { calls += 1; if (calls === 2) throw new Error('400'); return dash(1); } };
    expect((await loadDashboard(failing, { days: 7 }, undefined, { withPrevious: true })).previous).toBe(null);
    const abort = new DOMException('aborted', 'AbortError');
    calls = 0;
    const aborted = { get: async () => { calls += 1; if (calls === 2) throw abort; return dash(1); } };
    await expect(loadDashboard(aborted, { days: 7 }, undefined, { withPrevious: true })).rejects.toBe(abort);
  });

  it('calls a range without revenue, cost, sessions or conversions empty', () => {
    expect(isEmptyDashboard({ channels: { overall: { revenue: 0, cost: 0, sessions: 0, conversions: 0 } } })).toBe(true);
    expect(isEmptyDashboard(dash(1))).toBe(false);
    expect(isEmptyDashboard(null)).toBe(true);
  });
});

describe('data-quality badge', () => {
  const now = Date.parse('2025-03-10T12:00:00Z');
  it('is ok, warn on quarantined rows or a stale build, error without the check', () => {
    expect(qualityStatus({ excluding_duplicates: 0 }, '2025-03-10T02:00:00Z', now)).toBe('ok');
    expect(qualityStatus({ excluding_duplicates: 3 }, '2025-03-10T02:00:00Z', now)).toBe('warn');
    expect(qualityStatus({ excluding_duplicates: 0 }, '2025-03-01T02:00:00Z', now)).toBe('warn');
    expect(qualityStatus({ excluding_duplicates: 0 }, null, now)).toBe('warn');
    expect(qualityStatus(null, '2025-03-10T02:00:00Z', now)).toBe('error');
  });
});
