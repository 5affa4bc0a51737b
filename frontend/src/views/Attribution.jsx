import { useMemo } from 'preact/hooks';
import { usePage } from '../context.js';
import { useApi } from '../lib/hooks.js';
import { ChartView } from '../lib/charts.jsx';
import { attributionModelsData, attributionShareData, channelsOf } from '../lib/chartData.js';
import { formatCurrency, formatNumber, formatPercent } from '../lib/format.js';
import { MODEL_LABELS, queryFromState, rangeParams } from '../lib/range.js';
import { channelLabel } from '../lib/palette.js';
import { EmptyState, ErrorBanner, Figure, Panel, Skeleton, TableScroll } from '../components/common.jsx';

export function Attribution() {
  const { api, range, store } = usePage();
  const [state, , retry] = useApi(async (signal) => {
    const params = rangeParams(range);
    params.set('model', 'all');
    return api.get('/attribution', params, signal);
  }, [queryFromState({ ...range, model: null })]);
  const model = range.model || 'linear';
  const all = state.data;
  const selected = all?.models?.[model] || (all ? Object.values(all.models)[0] : null);
  const groupedData = useMemo(() => (all ? attributionModelsData(all) : null), [all]);
  const shareData = useMemo(() => (selected ? attributionShareData(selected) : null), [selected]);
  const money = useMemo(() => ({
    scales: { y: { beginAtZero: true, ticks: { callback: (v) => formatCurrency(v, store, { compact: true }) } } },
    plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${formatCurrency(c.parsed.y, store)}` } } },
  }), [store]);
  const donut = useMemo(() => ({
    plugins: { legend: { position: 'right' }, tooltip: { callbacks: { label: (c) => `${c.label}: ${formatCurrency(c.parsed, store)}` } } },
  }), [store]);

  if (state.loading) return <Panel title="Attribution"><Skeleton lines={8} /></Panel>;
  if (state.error) return <ErrorBanner error={state.error} onRetry={retry} />;
  const channels = channelsOf(selected.attribution);
  const attributed = channels.reduce((sum, c) => sum + (selected.attribution[c] || 0), 0);
  const shareLabel = `${MODEL_LABELS[selected.model]} model revenue share: ${channels.map((c) => `${channelLabel(c)} ${
    formatPercent(attributed ? (selected.attribution[c] / attributed) * 100 : null, store)}`).join(', ')}.`;
  return (
    <>
      {!selected.total_revenue && <EmptyState />}
      <div class="cards">
        <div class="card">
          <h3>Order revenue</h3>
          <Figure class="card-value" testid="attribution-total" value={selected.total_revenue}
            text={formatCurrency(selected.total_revenue, store)} />
        </div>
        <div class="card">
          <h3>Unattributed revenue</h3>
          <Figure class="card-value" testid="attribution-unattributed" value={selected.unattributed_revenue}
            text={formatCurrency(selected.unattributed_revenue, store)} />
          <span class="muted small">{formatPercent(selected.total_revenue
            ? (selected.unattributed_revenue / selected.total_revenue) * 100 : null, store)} of revenue has no
            {' '}marketing touch</span>
        </div>
      </div>
      <Panel title="Revenue by channel: six models side by side">
        <ChartView name="attribution-models" data={groupedData} options={money} height={320}
          label={`Attributed revenue per channel for ${groupedData.datasets.length} models.`} />
      </Panel>
      <Panel title={`Share per channel: ${MODEL_LABELS[selected.model]}`}>
        <div class="split">
          <ChartView name="attribution-share" type="doughnut" data={shareData} options={donut} label={shareLabel} height={280} />
          <TableScroll label="Attributed revenue">
            <table data-testid="attribution-table">
              <thead><tr><th scope="col">Channel</th><th scope="col" class="num">Revenue</th><th scope="col" class="num">Conversions</th></tr></thead>
              <tbody>
                {channels.map((c) => (
                  <tr key={c} data-testid={`attr-${c}`}>
                    <th scope="row">{channelLabel(c)}</th>
                    <Figure tag="td" class="num" testid="cell-revenue" value={selected.attribution[c]} text={formatCurrency(selected.attribution[c], store)} />
                    <Figure tag="td" class="num" testid="cell-conversions" value={selected.conversions?.[c]} text={formatNumber(selected.conversions?.[c], store, 1)} />
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </div>
      </Panel>
    </>
  );
}
