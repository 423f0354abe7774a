import { html } from './ui.js';

const W = 600;
const H = 140;

function fmt(v, unit) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const n = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${n}${unit ? ' ' + unit : ''}`;
}

/** A line chart drawn as SVG from a metric series (pulse.trend): no chart library. */
export function Chart({ title, series, unit = '', emptyText = 'No data yet.' }) {
  const values = series?.values ?? [];
  const times = (series?.timestamps ?? []).map((t) => Date.parse(t));
  if (!values.length) {
    return html`<figure class="panel chart" aria-label=${title}><figcaption><strong>${title}</strong></figcaption><p class="muted">${emptyText}</p></figure>`;
  }
  const min = Math.min(0, ...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const t0 = times[0];
  const tSpan = times[times.length - 1] - t0 || 1;
  const pts = values.map((v, i) => [values.length === 1 ? W / 2 : ((times[i] - t0) / tSpan) * W, H - ((v - min) / span) * (H - 8) - 4]);
  const line = pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  const area = `0,${H} ${line} ${W},${H}`;
  const stats = series.stats;
  const summary = `${title}: last ${fmt(stats?.last, unit)}, min ${fmt(stats?.min, unit)}, max ${fmt(stats?.max, unit)}, ${values.length} points`;
  return html`<figure class="panel chart">
    <figcaption class="row"><strong>${title}</strong><span class="muted small">last ${fmt(stats?.last, unit)} · max ${fmt(stats?.max, unit)}</span></figcaption>
    <svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label=${summary}>
      <title>${summary}</title>
      <line class="axis" x1="0" y1=${H - 0.5} x2=${W} y2=${H - 0.5} />
      ${values.length > 1 ? html`<polygon class="area" points=${area} />` : null}
      ${values.length > 1 ? html`<polyline class="line" points=${line} />` : html`<circle cx=${pts[0][0]} cy=${pts[0][1]} r="4" fill="#7cc4ff" />`}
    </svg>
    <div class="row muted small"><span>${new Date(t0).toLocaleString()}</span><span style="margin-left:auto">${new Date(times[times.length - 1]).toLocaleString()}</span></div>
  </figure>`;
}
