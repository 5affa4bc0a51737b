import { dataValue } from '../lib/format.js';

/** A formatted figure carrying the raw API number in data-value. */
export function Figure({ value, text, testid, class: cls, tag: Tag = 'span' }) {
  return <Tag class={cls} data-testid={testid} data-value={dataValue(value)}>{text}</Tag>;
}

export function Skeleton({ lines = 3, height }) {
  return (
    <div class="skeleton" data-testid="skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} class="skeleton-line" style={height ? { height: `${height}px` } : undefined} />
      ))}
    </div>
  );
}

export function ErrorBanner({ error, onRetry }) {
  if (!error) return null;
  return (
    <div class="error-banner" role="alert" data-testid="error-banner">
      <span>{error.message || String(error)}</span>
      {onRetry && <button type="button" onClick={onRetry}>Retry</button>}
    </div>
  );
}

export function EmptyState({ children }) {
  return (
    <div class="empty-state" data-testid="empty-state" role="status">
      {children || 'No data in this date range. Try a longer range.'}
    </div>
  );
}

export function Panel({ title, children, actions, class: cls }) {
  return (
    <section class={`panel ${cls || ''}`} aria-label={title}>
      <header class="panel-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

/** Wraps a wide table so it scrolls horizontally on narrow screens instead of the page. */
export function TableScroll({ children, label }) {
  return <div class="table-scroll" role="region" aria-label={label} tabIndex={0}>{children}</div>;
}
