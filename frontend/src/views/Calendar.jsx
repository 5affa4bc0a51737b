import { usePage } from '../context.js';
import { useApi } from '../lib/hooks.js';
import { formatDate } from '../lib/format.js';
import { queryFromState, rangeParams } from '../lib/range.js';
import { channelLabel } from '../lib/palette.js';
import { EmptyState, ErrorBanner, Panel, Skeleton } from '../components/common.jsx';

const TYPE_LABELS = { seo_article: 'Article', article: 'Article', influencer_delivery: 'Influencer delivery', delivery: 'Influencer delivery' };

function groupByDate(items) {
  const groups = [];
  for (const item of items) {
    const last = groups[groups.length - 1];
    if (last && last.date === item.date) last.items.push(item);
    else groups.push({ date: item.date, items: [item] });
  }
  return groups;
}

function CalendarList({ items, store, testid }) {
  return (
    <ol class="calendar" data-testid={testid}>
      {groupByDate(items).map((group) => (
        <li key={group.date} class="calendar-day">
          <h3><time dateTime={group.date}>{formatDate(group.date, store)}</time></h3>
          <ul>
            {group.items.map((item) => (
              <li key={`${item.item_type}-${item.item_id}`} data-testid="calendar-item" data-date={item.date}
                data-type={item.item_type} class={`calendar-item type-${item.item_type}`}>
                <span class="tag">{TYPE_LABELS[item.item_type] || item.item_type.replace(/_/g, ' ')}</span>
                <span class="title">{item.title || item.item_id}</span>
                {item.channel && <span class="muted small">{channelLabel(item.channel)}</span>}
                {item.status && <span class="muted small">· {item.status}</span>}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

export function Calendar() {
  const { api, range, store } = usePage();
  const [state, , retry] = useApi((signal) => api.get('/calendar', rangeParams(range), signal),
    [queryFromState({ ...range, model: null })]);
  if (state.loading) return <Panel title="Content calendar"><Skeleton lines={8} /></Panel>;
  if (state.error) return <ErrorBanner error={state.error} onRetry={retry} />;
  const { items, date_range: dr } = state.data;
  return (
    <Panel title={`Content calendar, ${formatDate(dr.start_date, store)} – ${formatDate(dr.end_date, store)}`}>
      {items.length === 0 ? <EmptyState>No articles or influencer deliveries in this range.</EmptyState>
        : <CalendarList items={items} store={store} testid="calendar-list" />}
    </Panel>
  );
}
