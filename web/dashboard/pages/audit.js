import { useState } from 'preact/hooks';
import { ErrorNote, html, Loading, useOp, When } from '../lib/ui.js';

const SURFACES = ['http', 'cli', 'mcp', 'js', 'agent', 'system', 'halt'];
const OUTCOMES = ['ok', 'error', 'halted', 'denied', 'canceled', 'unauthenticated'];

export function AuditPage() {
  const [draft, setDraft] = useState({ surface: '', op: '', outcome: '', caller: '' });
  const [filter, setFilter] = useState(draft);
  const input = Object.fromEntries(Object.entries(filter).filter(([, v]) => v));
  const audit = useOp('audit.query', { ...input, limit: 200 }, JSON.stringify(input));
  const set = (k) => (e) => setDraft({ ...draft, [k]: e.target.value });
  return html`<section aria-labelledby="audit-h">
    <h1 id="audit-h">Audit</h1>
    <form class="row" aria-label="Filter the audit trail" onSubmit=${(e) => (e.preventDefault(), setFilter(draft))}>
      <div class="field"><label for="f-surface">Surface</label>
        <select id="f-surface" value=${draft.surface} onChange=${set('surface')}><option value="">Any</option>${SURFACES.map((s) => html`<option value=${s}>${s}</option>`)}</select></div>
      <div class="field"><label for="f-outcome">Outcome</label>
        <select id="f-outcome" value=${draft.outcome} onChange=${set('outcome')}><option value="">Any</option>${OUTCOMES.map((s) => html`<option value=${s}>${s}</option>`)}</select></div>
      <div class="field"><label for="f-op">Operation</label><input id="f-op" value=${draft.op} onInput=${set('op')} placeholder="apps.delete" /></div>
      <div class="field"><label for="f-caller">Caller</label><input id="f-caller" value=${draft.caller} onInput=${set('caller')} placeholder="owner" /></div>
      <button type="submit" class="primary">Filter</button>
    </form>
    <${ErrorNote} error=${audit.error} />
    ${audit.loading && !audit.data ? html`<${Loading} what="the audit trail" />` : null}
    ${audit.data &&
    (audit.data.entries.length === 0
      ? html`<p class="muted">No entries match.</p>`
      : html`<div class="table-wrap"><table>
          <thead><tr><th>When</th><th>Operation</th><th>Outcome</th><th>Caller</th><th class="hide-narrow">Surface</th><th class="hide-narrow">ms</th></tr></thead>
          <tbody>${audit.data.entries.map(
            (e) => html`<tr key=${e.id}>
              <td><${When} at=${e.at} /></td>
              <td><code>${e.op}</code></td>
              <td><span class=${'badge ' + e.outcome}>${e.outcome}</span>${e.errorCode ? html` <span class="small muted">${e.errorCode}</span>` : null}</td>
              <td>${e.caller}</td>
              <td class="hide-narrow">${e.surface}</td>
              <td class="hide-narrow">${e.durationMs}</td>
            </tr>`,
          )}</tbody></table></div>`)}
  </section>`;
}
