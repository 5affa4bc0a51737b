import { describe, expect, it } from 'vitest';
import {
  MODELS, customState, dayNumber, defaultState, modelState, presetState, queryFromState, rangeLength,
  rangeParams, stateFromQuery, validateRange,
} from './range.js';

describe('date range state', () => {
  it('defaults to the last 30 days and the marts default model', () => {
    expect(defaultState()).toEqual({ days: 30, start: null, end: null, model: null });
    expect(queryFromState(defaultState())).toBe('days=30');
  });

  it('presets replace a custom range', () => {
    const custom = customState(defaultState(), '2025-01-01', '2025-01-31').state;
    expect(presetState(custom, 7)).toEqual({ days: 7, start: null, end: null, model: null });
  });

  it('rejects a start after the end', () => {
    const { state, error } = customState(defaultState(), '2025-02-01', '2025-01-01');
    expect(error).toMatch(/after the end/);
    expect(state).toEqual(defaultState());
  });

  it('rejects a range longer than 731 days and accepts exactly 731', () => {
    // 2023 + 2024 (leap year) = 731 days
    expect(rangeLength('2023-01-01', '2024-12-31')).toBe(731);
    expect(validateRange('2023-01-01', '2024-12-31')).toBe(null);
    expect(validateRange('2023-01-01', '2025-01-01')).toMatch(/732 days; at most 731/);
  });

  it('rejects impossible dates and missing ends', () => {
    expect(dayNumber('2025-02-30')).toBe(null);
    expect(validateRange('2025-02-30', '2025-03-01')).toMatch(/not a valid date/);
    expect(validateRange('', '2025-03-01')).toMatch(/Choose/);
  });

  it('ignores unknown models', () => {
    expect(modelState(defaultState(), 'linear').model).toBe('linear');
    expect(modelState(defaultState(), 'bogus').model).toBe(null);
    expect(MODELS).toHaveLength(6);
  });
});

describe('URL query <-> state', () => {
  it('round-trips presets, custom ranges and the model', () => {
    const states = [
      { days: 7, start: null, end: null, model: null },
      { days: 90, start: null, end: null, model: 'data_driven' },
      { days: null, start: '2025-01-01', end: '2025-03-31', model: 'time_decay' },
    ];
    for (const state of states) expect(stateFromQuery(queryFromState(state))).toEqual(state);
  });

  it('reads ?days=30d like the API and falls back on junk', () => {
    expect(stateFromQuery('?days=30d').days).toBe(30);
    expect(stateFromQuery('?days=abc')).toEqual(defaultState());
    expect(stateFromQuery('?days=0')).toEqual(defaultState());
    expect(stateFromQuery('?start_date=2025-02-01&end_date=2025-01-01')).toEqual(defaultState());
    expect(stateFromQuery('?model=nope').model).toBe(null);
  });

  it('gives the API either days or both dates, never the model', () => {
    expect(rangeParams({ days: 7, start: null, end: null, model: 'linear' }).toString()).toBe('days=7');
    expect(rangeParams({ days: null, start: '2025-01-01', end: '2025-01-31', model: null }).toString())
      .toBe('start_date=2025-01-01&end_date=2025-01-31');
  });
});
