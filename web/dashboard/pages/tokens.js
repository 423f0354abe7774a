import { useState } from 'preact/hooks';
import { op } from '../lib/api.js';
import { available } from '../lib/available.js';
import { Action, ErrorNote, html, Loading, useOp, When } from '../lib/ui.js';

/** The areas of kernel:<area>:<level> that some op requires: the only ones a token can use. */
function kernelAreas() {
  const areas = new Set();
  for (const o of available.list) for (const r of o.requires ?? []) {
    const m = /^kernel:([a-z0-9_-]+):/.exec(r);
    if (m) areas.add(m[1]);
  }
  return [...areas].sort();
}

function LevelPicker({ id, label, value, onChange }) {
  return html`<div class="field"><label for=${id}>${label}</label>
    <select id=${id} value=${value} onChange=${(e) => onChange(e.target.value)}>
      <option value="">none</option><option value="read">read</option><option value="write">write</option><option value="*">all (*)</option>
    </select></div>`;
}

function CreateForm({ totp, onCreated }) {
  const apps = useOp('apps.list');
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('90d');
  const [all, setAll] = useState({ kernel: false, app: false });
  const [levels, setLevels] = useState({});
  const [code, setCode] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const caps = [
    ...(all.kernel ? ['kernel:*'] : []),
    ...(all.app ? ['app:*'] : []),
    ...Object.entries(levels).filter(([, l]) => l).map(([k, l]) => `${k}:${l}`),
  ];
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const input = { name, cap: caps, ...(expires ? { expires } : {}), ...(totp ? { code } : {}) };
      const r = await op('tokens.create', input);
      onCreated(r);
      setName('');
      setLevels({});
      setAll({ kernel: false, app: false });
      setCode('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const level = (key) => levels[key] ?? '';
  const setLevel = (key) => (v) => setLevels({ ...levels, [key]: v });
  return html`<form class="panel" onSubmit=${submit} aria-labelledby="create-h">
    <h2 id="create-h">Create a token</h2>
    <div class="row">
      <div class="field"><label for="t-name">Name</label><input id="t-name" required pattern="[A-Za-z0-9_.\\-]+" maxlength="64" value=${name} onInput=${(e) => setName(e.target.value)} /></div>
      <div class="field"><label for="t-expires">Expires after</label>
        <select id="t-expires" value=${expires} onChange=${(e) => setExpires(e.target.value)}>
          <option value="1d">1 day</option><option value="30d">30 days</option><option value="90d">90 days</option><option value="365d">1 year</option><option value="">never</option>
        </select></div>
    </div>
    <fieldset><legend>Capabilities</legend>
      <div class="checks">
        <label><input type="checkbox" checked=${all.kernel} onChange=${(e) => setAll({ ...all, kernel: e.target.checked })} /> kernel:* (everything on the server)</label>
        <label><input type="checkbox" checked=${all.app} onChange=${(e) => setAll({ ...all, app: e.target.checked })} /> app:* (every app)</label>
      </div>
      <h3>Server areas</h3>
      <div class="row">${kernelAreas().map((a) => html`<${LevelPicker} key=${a} id=${'cap-kernel-' + a} label=${'kernel:' + a} value=${level('kernel:' + a)} onChange=${setLevel('kernel:' + a)} />`)}</div>
      <h3>Apps</h3>
      ${apps.data?.apps.length
        ? html`<div class="row">${apps.data.apps.map((a) => html`<${LevelPicker} key=${a.id} id=${'cap-app-' + a.slug} label=${'app:' + a.slug} value=${level('app:' + a.slug)} onChange=${setLevel('app:' + a.slug)} />`)}</div>`
        : html`<p class="muted small">No apps yet.</p>`}
    </fieldset>
    <p class="small">Grants: ${caps.length ? html`<code>${caps.join(' ')}</code>` : html`<span class="muted">nothing yet — pick at least one</span>`}</p>
    ${totp && html`<div class="field"><label for="t-code">Authenticator code</label><input id="t-code" inputmode="numeric" autocomplete="one-time-code" required value=${code} onInput=${(e) => setCode(e.target.value)} /></div>`}
    <${ErrorNote} error=${error} />
    <button type="submit" class="primary" disabled=${busy || !caps.length || !name}>Create token</button>
  </form>`;
}

export function TokensPage() {
  const tokens = useOp('tokens.list');
  const totp = useOp('auth.totp.status');
  const [created, setCreated] = useState(null);
  return html`<section aria-labelledby="tokens-h">
    <h1 id="tokens-h">Tokens</h1>
    ${created &&
    html`<div class="panel" role="status">
      <p><strong>Token ${created.info.name} created.</strong> Copy it now: it is shown only this once.</p>
      <p class="secret" data-testid="new-token">${created.token}</p>
      <button type="button" onClick=${() => navigator.clipboard?.writeText(created.token)}>Copy</button>
      <button type="button" onClick=${() => setCreated(null)}>Done</button>
    </div>`}
    <${CreateForm} totp=${!!totp.data?.enabled} onCreated=${(r) => (setCreated(r), tokens.reload())} />
    <h2>Tokens</h2>
    <${ErrorNote} error=${tokens.error} />
    ${tokens.loading && !tokens.data ? html`<${Loading} what="tokens" />` : null}
    ${tokens.data &&
    html`<div class="table-wrap"><table>
      <thead><tr><th>Name</th><th>Capabilities</th><th class="hide-narrow">Created</th><th>Expires</th><th class="hide-narrow">Last used</th><th></th></tr></thead>
      <tbody>${tokens.data.tokens.map(
        (t) => html`<tr key=${t.id} data-token=${t.name}>
          <td>${t.name} ${t.kind === 'owner' ? html`<span class="badge">owner</span>` : null}</td>
          <td><code>${t.caps.join(' ')}</code></td>
          <td class="hide-narrow"><${When} at=${t.createdAt} /></td>
          <td>${t.expiresAt ? html`<${When} at=${t.expiresAt} />` : 'never'}</td>
          <td class="hide-narrow"><${When} at=${t.lastUsedAt} /></td>
          <td>${t.kind === 'owner'
            ? null
            : html`<${Action} kind="danger" label=${`Revoke ${t.name}`} confirm=${`Revoke ${t.name}? It stops working at once.`} run=${() => op('tokens.revoke', { id: t.id }).then(tokens.reload)}>Revoke</${Action}>`}</td>
        </tr>`,
      )}</tbody></table></div>`}
  </section>`;
}
