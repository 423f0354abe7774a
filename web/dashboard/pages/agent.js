import { has } from '../lib/available.js';
import { ErrorNote, html, Loading, useOp, When } from '../lib/ui.js';

/** Renders what the agent ops say; without them this server has no agent, and the page says so. */
export function AgentPage() {
  if (!has('agent.status')) {
    return html`<section aria-labelledby="agent-h">
      <h1 id="agent-h">Agent</h1>
      <p class="notice" role="status">The agent is not available on this server: it offers no <code>agent.status</code> operation.
        Health, approvals and the audit trail work without it.</p>
    </section>`;
  }
  return html`<${AgentDetail} />`;
}

function Value({ v }) {
  if (v === null || v === undefined) return html`<span class="muted">—</span>`;
  if (typeof v === 'object') return html`<pre>${JSON.stringify(v, null, 2)}</pre>`;
  return html`<span>${String(v)}</span>`;
}

function AgentDetail() {
  const status = useOp('agent.status');
  const decisions = has('agent.decisions') ? useOp('agent.decisions', {}) : { data: null };
  const rows = decisions.data?.decisions ?? decisions.data?.entries ?? [];
  return html`<section aria-labelledby="agent-h">
    <h1 id="agent-h">Agent</h1>
    <${ErrorNote} error=${status.error} />
    ${status.loading && !status.data ? html`<${Loading} what="the agent" />` : null}
    ${status.data &&
    html`<div class="panel"><dl>${Object.entries(status.data).map(([k, v]) => html`<dt><strong>${k}</strong></dt><dd><${Value} v=${v} /></dd>`)}</dl></div>`}
    <h2>Decisions</h2>
    ${!has('agent.decisions') ? html`<p class="muted">This server offers no decision journal (agent.decisions).</p>` : null}
    <${ErrorNote} error=${decisions.error} />
    ${rows.length
      ? html`<ul class="grid" style="list-style:none;padding:0">${rows.map(
          (d, i) => html`<li class="panel" key=${d.id ?? i}>
            <h3>${d.op ?? d.action ?? d.kind ?? 'decision'} ${d.outcome || d.status ? html`<span class="badge">${d.outcome ?? d.status}</span>` : null}</h3>
            ${d.reason || d.explanation ? html`<p>${d.reason ?? d.explanation}</p>` : null}
            ${d.at || d.createdAt ? html`<p class="muted small"><${When} at=${d.at ?? d.createdAt} /></p>` : null}
            <details><summary>Details</summary><pre>${JSON.stringify(d, null, 2)}</pre></details>
          </li>`,
        )}</ul>`
      : has('agent.decisions') && decisions.data
        ? html`<p class="muted">No decisions yet.</p>`
        : null}
  </section>`;
}
