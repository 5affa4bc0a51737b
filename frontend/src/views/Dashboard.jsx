import { usePage } from '../context.js';
import { Header } from '../components/Header.jsx';
import { rangeParams } from '../lib/range.js';
import { Overview } from './Overview.jsx';
import { Channels } from './Channels.jsx';
import { Funnels } from './Funnels.jsx';
import { Attribution } from './Attribution.jsx';
import { Budget } from './Budget.jsx';
import { Insights } from './Insights.jsx';
import { Calendar } from './Calendar.jsx';

const VIEWS = {
  overview: Overview, channels: Channels, funnels: Funnels, attribution: Attribution, budget: Budget,
  insights: Insights, calendar: Calendar,
};
export const REPORTS = ['channels', 'attribution', 'timeseries', 'benchmarks', 'calendar'];

function Exports() {
  const { range } = usePage();
  const query = rangeParams(range);
  if (range.model) query.set('model', range.model);
  return (
    <footer class="exports" aria-label="CSV exports">
      <span class="muted">Export CSV:</span>
      {REPORTS.map((report) => (
        <a key={report} data-testid={`export-${report}`} download
          href={`/api/marketing/analytics/export/${report}.csv?${query.toString()}`}>
          {report}
        </a>
      ))}
    </footer>
  );
}

export function Dashboard({ path }) {
  const parts = path.split('/').filter(Boolean); // ["dashboard", view, rest...]
  const view = VIEWS[parts[1]] ? parts[1] : 'overview';
  const View = VIEWS[view];
  return (
    <div class="layout">
      <a class="skip-link" href="#main">Skip to content</a>
      <Header view={view} />
      <main id="main" tabIndex={-1}>
        <View key={view} sub={parts[2] || null} />
      </main>
      <Exports />
    </div>
  );
}
