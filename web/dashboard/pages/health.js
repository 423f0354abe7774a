import { useEffect, useState } from 'preact/hooks';
import { follow, op } from '../lib/api.js';
import { Chart } from '../lib/chart.js';
import { Action, ErrorNote, html, Loading, useOp, When } from '../lib/ui.js';

const METRICS = [
  ['memory', 'Memory used', '%'],
  ['cpu', 'CPU', '%'],
  ['http.requests', 'Requests', ''],
  ['http.errorRate', 'Error rate', '%'],
  ['http.p99', 'p99 latency', 'ms'],
];

function MetricChart({ metric, title, unit, hours, tick }) {
  const [state, setState] = useState({});
  useEffect(() => {
    op('pulse.trend', { metric, hours }).then(
      (series) => setState({ series }),
      (error) => setState({ error }),
    );
  }, [metric, hours, tick]);
  if (state.error?.code === 'BAD_INPUT') return html`<${Chart} title=${title} series=${null} emptyText="Not measured yet: it appears after the first beats." />`;
  if (state.error) return html`<div class="panel"><strong>${title}</strong><${ErrorNote} error=${state.error} /></div>`;
  return html`<${Chart} title=${title} series=${state.series} unit=${unit} />`;
}

export function HealthPage() {
  const status = useOp('pulse.status');
  const [hours, setHours] = useState(24);
  const [tick, setTick] = useState(0);
  const [live, setLive] = useState('connecting');
  const [lastBeat, setLastBeat] = useState(null);
  useEffect(
    () =>
      follow(
        '/api/stream/events?pattern=system.pulse.beat',
        (e) => {
          setLastBeat(e.data);
          status.reload();
          setTick((t) => t + 1);
        },
        setLive,
      ),
    [],
  );
  const s = status.data;
  const beat = lastBeat ?? (s && { id: s.beatId, at: s.lastBeatAt, health: s.health });
  return html`<section aria-labelledby="health-h">
    <h1 id="health-h">Health</h1>
    <div class="row">
      <span class=${'live' + (live === 'live' ? ' on' : '')} role="status">${live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</span>
      ${beat && html`<span data-testid="last-beat">Latest beat #${beat.id}, <${When} at=${beat.at} /></span>`}
      <${Action} run=${() => op('pulse.beat')}>Run a beat now</${Action}>
    </div>
    <${ErrorNote} error=${status.error} />
    ${status.loading && !s ? html`<${Loading} what="health" />` : null}
    ${s &&
    html`<div class="panel">
      <p><span class=${'badge ' + s.health}>${s.health}</span> ${s.summary}</p>
      <p class="muted small">Analysed by ${s.analyser}; a beat every ${s.intervalSeconds} s.${s.failedCollectors.length ? ` Collectors that failed: ${s.failedCollectors.join(', ')}.` : ''}</p>
    </div>
    <h2>Issues</h2>
    ${s.issues.length === 0
      ? html`<p class="muted">No open issues.</p>`
      : html`<ul class="grid" style="list-style:none;padding:0">
          ${s.issues.map(
            (i) => html`<li class="panel" key=${i.key}>
              <h3><span class=${'badge ' + i.severity}>${i.severity}</span> ${i.title}</h3>
              <p>${i.description}</p>
              <p><strong>Recommendation:</strong> ${i.recommendation}</p>
            </li>`,
          )}
        </ul>`}
    ${s.security.length || s.patterns.length
      ? html`<h2>Notes</h2><ul>${[...s.security, ...s.patterns].map((n) => html`<li>${n}</li>`)}</ul>`
      : null}`}
    <h2 id="charts-h">Trends</h2>
    <div class="row" role="group" aria-labelledby="charts-h">
      <label for="range">Range</label>
      <select id="range" value=${hours} onChange=${(e) => setHours(Number(e.target.value))}>
        <option value="24">Last 24 hours</option>
        <option value="168">Last 7 days</option>
      </select>
    </div>
    <div class="grid">
      ${METRICS.map(([m, t, u]) => html`<${MetricChart} key=${m} metric=${m} title=${t} unit=${u} hours=${hours} tick=${tick} />`)}
    </div>
  </section>`;
}
