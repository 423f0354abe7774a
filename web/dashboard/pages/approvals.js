import { useEffect, useState } from 'preact/hooks';
import { follow, op } from '../lib/api.js';
import { Action, ErrorNote, html, Loading, useOp, When } from '../lib/ui.js';

function Pending({ halt, totp, onDecided }) {
  const [code, setCode] = useState('');
  const codeId = `code-${halt.id}`;
  const withCode = (input) => (totp ? { ...input, code } : input);
  const approveOptions = halt.options.filter((o) => o.toLowerCase() !== 'deny');
  return html`<li class="panel" data-halt=${halt.id}>
    <h3><code>${halt.op}</code></h3>
    <p>${halt.reason}</p>
    <dl class="meta small">
      <dt class="muted">Caller</dt><dd>${halt.caller.name} (${halt.caller.kind}, ${halt.surface})</dd>
      <dt class="muted">Asked</dt><dd><${When} at=${halt.createdAt} /></dd>
      <dt class="muted">Deadline</dt><dd><${When} at=${halt.expiresAt} /> (then denied)</dd>
      <dt class="muted">Options</dt><dd>${halt.options.join(', ')}</dd>
    </dl>
    <details><summary>Input</summary><pre>${JSON.stringify(halt.input, null, 2)}</pre></details>
    ${totp &&
    html`<div class="field"><label for=${codeId}>Authenticator code</label>
      <input id=${codeId} inputmode="numeric" autocomplete="one-time-code" value=${code} onInput=${(e) => setCode(e.target.value)} /></div>`}
    <div class="row">
      ${approveOptions.map(
        (o) => html`<${Action} kind="primary" label=${`Approve ${halt.op} (${o})`} run=${() => op('halt.approve', withCode({ id: halt.id, option: o })).then(onDecided)}>
          ${approveOptions.length > 1 ? `Approve: ${o}` : 'Approve'}
        </${Action}>`,
      )}
      <${Action} kind="danger" label=${`Deny ${halt.op}`} run=${() => op('halt.deny', withCode({ id: halt.id })).then(onDecided)}>Deny</${Action}>
    </div>
  </li>`;
}

export function ApprovalsPage() {
  const pending = useOp('halt.list', { status: 'pending', limit: 100 });
  const history = useOp('halt.list', { status: 'all', limit: 50 });
  const totp = useOp('auth.totp.status');
  const [last, setLast] = useState(null);
  const reload = () => (pending.reload(), history.reload());
  useEffect(() => follow('/api/stream/events?pattern=system.halt.*', reload), []);
  const decided = (h) => {
    setLast(h);
    reload();
  };
  const past = (history.data?.halts ?? []).filter((h) => h.status !== 'pending');
  return html`<section aria-labelledby="approvals-h">
    <h1 id="approvals-h">Approvals</h1>
    ${last &&
    html`<p class="notice" role="status">${last.op}: <strong>${last.status}</strong>${last.error ? ` — ${last.error.message}` : ''}</p>`}
    <h2>Waiting for you</h2>
    <${ErrorNote} error=${pending.error} />
    ${pending.loading && !pending.data ? html`<${Loading} what="approvals" />` : null}
    ${pending.data &&
    (pending.data.halts.length === 0
      ? html`<p class="muted">Nothing waits for approval.</p>`
      : html`<ul class="grid" style="list-style:none;padding:0">
          ${pending.data.halts.map((h) => html`<${Pending} key=${h.id} halt=${h} totp=${!!totp.data?.enabled} onDecided=${decided} />`)}
        </ul>`)}
    <h2>Decided</h2>
    <${ErrorNote} error=${history.error} />
    ${past.length === 0
      ? html`<p class="muted">No decisions yet.</p>`
      : html`<div class="table-wrap"><table>
          <thead><tr><th>Operation</th><th>Outcome</th><th class="hide-narrow">Caller</th><th>Decided</th><th class="hide-narrow">By</th></tr></thead>
          <tbody>${past.map(
            (h) => html`<tr key=${h.id}>
              <td><code>${h.op}</code><div class="muted small">${h.reason}</div></td>
              <td><span class=${'badge ' + h.status}>${h.status}</span>${h.error ? html`<div class="small">${h.error.message}</div>` : null}</td>
              <td class="hide-narrow">${h.caller.name}</td>
              <td><${When} at=${h.decidedAt} /></td>
              <td class="hide-narrow">${h.decidedBy ?? '—'}</td>
            </tr>`,
          )}</tbody></table></div>`}
  </section>`;
}
