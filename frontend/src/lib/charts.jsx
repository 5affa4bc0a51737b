import { useLayoutEffect, useRef } from 'preact/hooks';
import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Filler, Legend, LinearScale,
  LineController, LineElement, LogarithmicScale, PointElement, Tooltip,
} from 'chart.js';
import { countPoints } from './chartData.js';
import { hold } from './ready.js';

// only what the page draws: bars (incl. floating band bars, log-scale funnels), one doughnut and the forecast
// lines with their filled interval bands
Chart.register(
  BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, DoughnutController, ArcElement, Tooltip, Legend,
  LineController, LineElement, PointElement, Filler,
);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#333';

const RENDER_TIMEOUT_MS = 5000;

/**
 * A Chart.js canvas in a wrapper carrying data-chart / data-points / data-rendered. Animations are off so the
 * first draw is the final one; the plugin's afterRender marks the wrapper and releases the ready hold.
 */
export function ChartView({ name, type = 'bar', data, options, label, height = 280, plugins = [], points }) {
  const wrapRef = useRef(null);
  const canvasRef = useRef(null);

  useLayoutEffect(() => {
    const wrap = wrapRef.current;
    const release = hold(`chart:${name}`);
    let done = false;
    const finish = (drawn) => {
      if (done) return;
      done = true;
      if (drawn) wrap.dataset.rendered = 'true';
      release();
    };
    wrap.dataset.rendered = 'false';
    wrap.dataset.points = String(points ?? countPoints(data));
    const marker = { id: 'renderedMarker', afterRender: () => finish(true) };
    const chart = new Chart(canvasRef.current, {
      type,
      data,
      options: { responsive: true, maintainAspectRatio: false, animation: false, ...options },
      plugins: [...plugins, marker],
    });
    // a canvas that never gets a size (detached, hidden) must not keep the page "not ready" forever
    const fallback = setTimeout(() => finish(false), RENDER_TIMEOUT_MS);
    return () => {
      clearTimeout(fallback);
      chart.destroy();
      finish(false);
    };
  }, [data, options, type, name, points]);

  return (
    <div class="chart" data-chart={name} data-rendered="false" ref={wrapRef} style={{ height: `${height}px` }}>
      <canvas ref={canvasRef} role="img" aria-label={label} />
    </div>
  );
}
