import { describe, expect, it } from 'vitest';
import {
  attributionModelsData, attributionShareData, bandChartData, bandRanges, channelBarData, countPoints, funnelData,
  optimizerData, timelineData,
} from './chartData.js';
import { CHANNEL_COLORS } from './palette.js';

describe('chart data shaping', () => {
  it('stacks the daily timeline per channel in canonical order, without overall', () => {
    const ts = {
      dates: ['2025-01-01', '2025-01-02'],
      channels: {
        overall: { revenue: [30, 40], cost: [3, 4], conversions: [1, 1] },
        email: { revenue: [10, 20], cost: [1, 2], conversions: [0, 1] },
        seo: { revenue: [20, 20], cost: [2, 2], conversions: [1, 0] },
      },
    };
    const data = timelineData(ts, 'cost');
    expect(data.labels).toEqual(['2025-01-01', '2025-01-02']);
    expect(data.datasets.map((d) => d.label)).toEqual(['SEO', 'Email']);
    expect(data.datasets[1].data).toEqual([1, 2]);
    expect(data.datasets.every((d) => d.stack === 'cost')).toBe(true);
    expect(countPoints(data)).toBe(4);
  });

  it('builds one bar per channel for a metric, keeping nulls', () => {
    const data = channelBarData({ ads: { roas: 2.5 }, seo: { roas: null }, overall: { roas: 3 } }, 'roas', 'ROAS');
    expect(data.labels).toEqual(['SEO', 'Ads']);
    expect(data.datasets[0].data).toEqual([null, 2.5]);
    expect(data.datasets[0].backgroundColor).toEqual([CHANNEL_COLORS.seo, CHANNEL_COLORS.ads]);
  });

  it('groups attribution bars by channel with one dataset per model', () => {
    const model = (seo, ads) => ({ attribution: { seo, ads }, conversions: {}, total_revenue: 100, unattributed_revenue: 5 });
    const all = { model: 'all', models: { linear: model(60, 35), first_touch: model(70, 25) } };
    const data = attributionModelsData(all);
    expect(data.labels).toEqual(['SEO', 'Ads']);
    // model order is the canonical one, not the response's key order
    expect(data.datasets.map((d) => d.label)).toEqual(['First touch', 'Linear']);
    expect(data.datasets[1].data).toEqual([60, 35]);
    expect(countPoints(data)).toBe(4);
    expect(attributionShareData(all.models.linear).datasets[0].data).toEqual([60, 35]);
  });

  it('lays out higher-is-better bands from 0 up past excellent', () => {
    const r = bandRanges({ value: 3, direction: 'higher_is_better', benchmarks: { poor: 0.5, average: 1.4, good: 3.2, excellent: 4.7 } });
    expect(r.bands.map((b) => b.band)).toEqual(['poor', 'average', 'good', 'excellent']);
    expect(r.bands[0]).toEqual({ band: 'poor', from: 0, to: 1.4 });
    expect(r.bands[2]).toEqual({ band: 'good', from: 3.2, to: 4.7 });
    expect(r.max).toBeCloseTo(4.7 * 1.25);
    expect(r.lowerIsBetter).toBe(false);
  });

  it('reverses the bands when lower is better and widens the axis to the value', () => {
    const r = bandRanges({ value: 40, direction: 'lower_is_better', benchmarks: { poor: 30, average: 20, good: 10, excellent: 6 } });
    expect(r.bands.map((b) => b.band)).toEqual(['excellent', 'good', 'average', 'poor']);
    expect(r.bands[0]).toEqual({ band: 'excellent', from: 0, to: 6 });
    expect(r.bands[3]).toEqual({ band: 'poor', from: 20, to: 50 });
    expect(r.value).toBe(40);
    const data = bandChartData({ value: 40, direction: 'lower_is_better', benchmarks: { poor: 30, average: 20, good: 10, excellent: 6 } });
    expect(data.datasets.map((d) => d.data[0])).toEqual([[0, 6], [6, 10], [10, 20], [20, 50]]);
  });

  it('has no band chart without thresholds', () => {
    expect(bandRanges({ value: 1, benchmarks: null })).toBe(null);
    expect(bandChartData({ value: 1, benchmarks: { average: null, good: 1, excellent: 2 } })).toBe(null);
  });

  it('shapes funnels and optimizer scenarios', () => {
    expect(funnelData({ impressions: 1000, clicks: 50, sessions: 40, conversions: 2 }).datasets[0].data)
      .toEqual([1000, 50, 40, 2]);
    const result = {
      channels: [{ channel: 'seo' }, { channel: 'ads' }],
      scenarios: {
        current: { allocation: { seo: 50, ads: 50 }, predicted_revenue: 1 },
        proportional_roas: { allocation: { seo: 70, ads: 30 }, predicted_revenue: 2 },
        recommended: { allocation: { seo: 80, ads: 20 }, predicted_revenue: 3 },
      },
    };
    const data = optimizerData(result);
    expect(data.datasets.map((d) => d.label)).toEqual(['Current split', 'Proportional to ROAS', 'Recommended']);
    expect(data.datasets[2].data).toEqual([80, 20]);
    expect(countPoints(data)).toBe(6);
  });
});
