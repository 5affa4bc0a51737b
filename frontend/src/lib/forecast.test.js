import { describe, expect, it } from 'vitest';
import { ApiError } from './api.js';
import { bandsOf, forecastChartData, forecastOutcome, loadForecast, projectionSummary } from './forecast.js';

const payload = {
  metric: 'revenue', channel: 'overall', model: 'ets', fitted_at: '2026-01-01T00:00:00+00:00',
  history: [{ date: '2025-12-30', value: 10 }, { date: '2025-12-31', value: 12 }],
  forecast: [
    { date: '2026-01-01', value: 11, lower_80: 9, upper_80: 13, lower_95: 7, upper_95: 15 },
    { date: '2026-01-02', value: 11.5, lower_80: 8.5, upper_80: 14, lower_95: 6, upper_95: 16 },
    { date: '2026-01-03', value: 12, lower_80: 8, upper_80: 15, lower_95: 0, upper_95: 18 },
  ],
};

describe('bandsOf', () => {
  it('keeps the row order of each bound', () => {
    const b = bandsOf(payload.forecast);
    expect(b.lower80).toEqual([9, 8.5, 8]);
    expect(b.upper95).toEqual([15, 16, 18]);
    expect(b.lower95).toEqual([7, 6, 0]);
  });
  it('gives null for a missing bound', () => {
    expect(bandsOf([{ date: 'x', value: 1 }]).upper80).toEqual([null]);
  });
});

describe('forecastChartData', () => {
  const data = forecastChartData(payload);
  it('joins history and forecast on one axis and counts the API rows', () => {
    expect(data.labels).toEqual(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02', '2026-01-03']);
    expect(data.points).toBe(5);
    data.datasets.forEach((ds) => expect(ds.data).toHaveLength(5));
  });
  it('leaves the forecast days empty in the history line', () => {
    expect(data.datasets[0].data).toEqual([10, 12, null, null, null]);
  });
  it('starts the forecast and the bands at the last actual value', () => {
    const [, forecast, lower95, upper95, lower80, upper80] = data.datasets;
    expect(forecast.data).toEqual([null, 12, 11, 11.5, 12]);
    expect(lower95.data).toEqual([null, 12, 7, 6, 0]);
    expect(upper95.data).toEqual([null, 12, 15, 16, 18]);
    expect(lower80.data.slice(2)).toEqual([9, 8.5, 8]);
    expect(upper80.data.slice(2)).toEqual([13, 14, 15]);
  });
  it('fills each upper bound down to its lower bound', () => {
    expect(data.datasets.map((ds) => ds.fill)).toEqual([false, false, false, '-1', false, '-1']);
  });
  it('draws a forecast without history', () => {
    const only = forecastChartData({ history: [], forecast: payload.forecast });
    expect(only.points).toBe(3);
    expect(only.datasets[1].data).toEqual([11, 11.5, 12]);
  });
});

describe('forecastOutcome', () => {
  it('maps the not-ready 409s to an empty state with the API message', () => {
    const err = new ApiError(409, 'forecast_not_ready', 'no forecast yet for this store');
    expect(forecastOutcome(err)).toEqual({ empty: true, code: 'forecast_not_ready', message: 'no forecast yet for this store' });
    const short = new ApiError(409, 'insufficient_history', 'too little history');
    expect(forecastOutcome(short).code).toBe('insufficient_history');
  });
  it('throws other errors on (they go to the error banner)', () => {
    expect(() => forecastOutcome(new ApiError(400, 'validation_error', 'bad metric'))).toThrow('bad metric');
    expect(() => forecastOutcome(new ApiError(409, 'conflict', 'other'))).toThrow('other');
    expect(() => forecastOutcome(new ApiError(500, 'http_error', 'boom'))).toThrow('boom');
  });
});

describe('loadForecast', () => {
  it('asks the API with metric, channel and horizon', async () => {
    const calls = [];
    const api = { get: async (path, params) => { calls.push([path, params]); return payload; } };
    const out = await loadForecast(api, { metric: 'cost', channel: 'ads', horizon: 90 });
    expect(calls).toEqual([['/forecast', { metric: 'cost', channel: 'ads', horizon: '90' }]]);
    expect(out).toEqual({ empty: false, data: payload });
  });
  it('resolves a 409 to the empty outcome and rethrows an abort', async () => {
    const notReady = { get: async () => { throw new ApiError(409, 'forecast_not_ready', 'run insights refresh'); } };
    expect(await loadForecast(notReady, { metric: 'revenue', channel: 'overall', horizon: 30 }))
      .toEqual({ empty: true, code: 'forecast_not_ready', message: 'run insights refresh' });
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    const aborted = { get: async () => { throw abort; } };
    await expect(loadForecast(aborted, { metric: 'revenue', channel: 'overall', horizon: 30 })).rejects.toBe(abort);
  });
});

describe('projectionSummary', () => {
  const projections = {
    month_start: '2026-01-01', month_end: '2026-01-31', as_of: '2026-01-10', days_elapsed: 10, days_in_month: 31,
    channels: {
      overall: {
        revenue: { month_to_date: 100, projected: 310, lower_80: 290, upper_80: 330, previous_month: 300 },
        cost: { month_to_date: 40, projected: 124, lower_80: 120, upper_80: 128, budget: 150,
          projected_utilization_pct: 82.67, pacing: 'under' },
      },
    },
  };
  it('picks the channel and computes the budget left', () => {
    const s = projectionSummary(projections);
    expect(s.revenue.projected).toBe(310);
    expect(s.cost.projected).toBe(124);
    expect(s.budgetLeft).toBe(26);
    expect(s.daysElapsed).toBe(10);
  });
  it('is null without projections and has no budget left without a budget', () => {
    expect(projectionSummary(null)).toBeNull();
    const noBudget = structuredClone(projections);
    noBudget.channels.overall.cost.budget = null;
    expect(projectionSummary(noBudget).budgetLeft).toBeNull();
  });
});
