import { describe, expect, it } from 'vitest';
import {
  compare, dataValue, describeChange, formatCurrency, formatMetric, formatNumber, formatPercent, formatRatio,
  normaliseLocale,
} from './format.js';

const us = { currency: 'USD', locale: 'en-US' };
const de = { currency: 'EUR', locale: 'de_DE' };

describe('formatting', () => {
  it('formats money in the store currency and locale', () => {
    expect(formatCurrency(1234.5, us)).toBe('$1,234.50');
    // de-DE: thousands '.', decimal ',', euro sign after a (non-breaking) space
    expect(formatCurrency(1234.5, de).replace(/\s/g, ' ')).toBe('1.234,50 €');
    expect(formatCurrency(0, us)).toBe('$0.00');
  });

  it('normalises POSIX locales and falls back on junk', () => {
    expect(normaliseLocale('en_GB')).toBe('en-GB');
    expect(normaliseLocale('not a locale!')).toBe('en-US');
    expect(normaliseLocale(null)).toBe('en-US');
  });

  it('survives an unknown currency code', () => {
    expect(formatCurrency(12, { currency: 'NOPE1', locale: 'en-US' })).toBe('12');
  });

  it('formats percentages given in percent, and ratios with ×', () => {
    expect(formatPercent(12.345, us)).toBe('12.3%');
    expect(formatPercent(0, us)).toBe('0.0%');
    expect(formatRatio(3.2149, us)).toBe('3.21×');
    expect(formatRatio(3.2149, de)).toBe('3,21×');
    expect(formatNumber(1234567, us)).toBe('1,234,567');
  });

  it('shows an em dash for null, undefined and NaN', () => {
    for (const v of [null, undefined, NaN]) {
      expect(formatCurrency(v, us)).toBe('—');
      expect(formatPercent(v, us)).toBe('—');
      expect(formatRatio(v, us)).toBe('—');
      expect(formatNumber(v, us)).toBe('—');
    }
    expect(formatMetric('money', null, us)).toBe('—');
  });

  it('keeps raw numbers for data-value, empty for null', () => {
    expect(dataValue(12.5)).toBe('12.5');
    expect(dataValue(0)).toBe('0');
    expect(dataValue(null)).toBe('');
  });
});

describe('change arrows', () => {
  it('says "new" when the previous value was 0', () => {
    const c = describeChange({ current: 50, previous: 0, change: { absolute: 50, percentage: null, direction: 'up' } }, us);
    expect(c).toEqual({ direction: 'new', text: 'new' });
  });

  it('is flat when both periods are 0', () => {
    expect(describeChange(compare(0, 0), us).direction).toBe('flat');
  });

  it('shows up and down with a signed percentage', () => {
    expect(describeChange(compare(120, 100), us)).toEqual({ direction: 'up', text: '+20.0%' });
    const down = describeChange(compare(75, 100), us);
    expect(down.direction).toBe('down');
    expect(down.text).toBe('-25.0%');
    expect(describeChange(compare(100, 100), us)).toEqual({ direction: 'flat', text: '0.0%' });
  });

  it('uses the API direction and percentage when given', () => {
    const c = describeChange({ current: 10, previous: 8, change: { absolute: 2, percentage: 25, direction: 'up' } }, us);
    expect(c).toEqual({ direction: 'up', text: '+25.0%' });
  });

  it('compares against a negative previous value by its magnitude', () => {
    expect(compare(-50, -100).change.percentage).toBe(50);
    expect(compare(null, 3).change.direction).toBe(null);
  });
});
