import { useState } from 'preact/hooks';
import { op } from '../lib/api.js';
import { has } from '../lib/available.js';
import { Action, bytes, ErrorNote, html, useOp, When } from '../lib/ui.js';

const PROVIDERS = ['anthropic', 'openai', 'google', 'ollama'];

function AiSettings() {
  const list = useOp('ai.providers.list');
  const [form, setForm] = useState({ provider: 'anthropic', apiKey: '', baseUrl: '', defaultModel: '' });
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState('');
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      const input = Object.fromEntries(Object.entries(form).filter(([, v]) => v));
      const r = await op('ai.providers.set', input);
      setSaved(`${r.title ?? r.provider} saved.`);
      setForm({ ...form, apiKey: '' });
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const providers = list.data?.providers ?? [];
  return html`<section class="panel" aria-labelledby="ai-h">
    <h2 id="ai-h">AI providers</h2>
    <${ErrorNote} error=${list.error} />
    ${providers.length
      ? html`<ul>${providers.map(
          (p) => html`<li key=${p.provider}><strong>${p.title ?? p.provider}</strong> ${p.isDefault ? html`<span class="badge ok">default</span>` : null}
            <span class="muted small">${p.defaultModel} · ${p.baseUrl} · ${p.hasKey ? 'key stored' : 'no key'}</span>
            <${Action} kind="danger" label=${`Remove ${p.provider}`} run=${() => op('ai.providers.remove', { provider: p.provider }).then(list.reload)}>Remove</${Action}></li>`,
        )}</ul>`
      : list.data && html`<p class="muted">No provider configured: pulse uses its rules, and AI features are off.</p>`}
    <form onSubmit=${submit} aria-label="Add or change an AI provider">
      <div class="row">
        <div class="field"><label for="ai-provider">Provider</label><select id="ai-provider" value=${form.provider} onChange=${set('provider')}>${PROVIDERS.map((p) => html`<option value=${p}>${p}</option>`)}</select></div>
        <div class="field"><label for="ai-key">API key</label><input id="ai-key" type="password" autocomplete="off" value=${form.apiKey} onInput=${set('apiKey')} /></div>
        <div class="field"><label for="ai-base">Base URL (optional)</label><input id="ai-base" type="url" value=${form.baseUrl} onInput=${set('baseUrl')} /></div>
        <div class="field"><label for="ai-model">Default model (optional)</label><input id="ai-model" value=${form.defaultModel} onInput=${set('defaultModel')} /></div>
      </div>
      <${ErrorNote} error=${error} />${saved && html`<p role="status">${saved}</p>`}
      <button type="submit" class="primary">Save provider</button>
    </form>
  </section>`;
}

function NotifySettings() {
  const list = useOp('notify.channels.list');
  const [form, setForm] = useState({ type: '', name: '', config: '{\n  \n}' });
  const [error, setError] = useState(null);
  const [result, setResult] = useState('');
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  const types = list.data?.types ?? [];
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    let config;
    try {
      config = JSON.parse(form.config);
    } catch {
      return setError(new Error('The channel settings must be a JSON object, e.g. {"url": "https://…"}.'));
    }
    try {
      await op('notify.channels.add', { type: form.type || types[0]?.type, ...(form.name ? { name: form.name } : {}), config });
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  return html`<section class="panel" aria-labelledby="notify-h">
    <h2 id="notify-h">Notifications</h2>
    <${ErrorNote} error=${list.error} />
    ${list.data &&
    (list.data.channels.length
      ? html`<ul>${list.data.channels.map(
          (c) => html`<li key=${c.name}><strong>${c.name}</strong> <span class="muted small">${c.type}</span>
            <${Action} label=${`Send a test to ${c.name}`} run=${() => op('notify.channels.test', { name: c.name }).then((r) => setResult(`${c.name}: ${r.ok ? 'delivered' : 'failed'}${r.detail ? ` — ${r.detail}` : ''}`))}>Test</${Action}>
            <${Action} kind="danger" label=${`Remove ${c.name}`} run=${() => op('notify.channels.remove', { name: c.name }).then(list.reload)}>Remove</${Action}></li>`,
        )}</ul>`
      : html`<p class="muted">No channels: nothing is sent when something needs you.</p>`)}
    ${result && html`<p role="status">${result}</p>`}
    <form onSubmit=${submit} aria-label="Add a notification channel">
      <div class="row">
        <div class="field"><label for="n-type">Type</label><select id="n-type" value=${form.type || types[0]?.type} onChange=${set('type')}>${types.map((t) => html`<option value=${t.type}>${t.title}</option>`)}</select></div>
        <div class="field"><label for="n-name">Name (optional)</label><input id="n-name" value=${form.name} onInput=${set('name')} /></div>
      </div>
      <div class="field"><label for="n-config">Settings (JSON; secrets are stored encrypted)</label><textarea id="n-config" rows="4" value=${form.config} onInput=${set('config')}></textarea></div>
      <${ErrorNote} error=${error} />
      <button type="submit" class="primary">Add channel</button>
    </form>
  </section>`;
}

function Sessions() {
  const list = useOp('auth.sessions.list');
  const totp = useOp('auth.totp.status');
  return html`<section class="panel" aria-labelledby="sessions-h">
    <h2 id="sessions-h">Sign-in</h2>
    <p>Password: ${list.data ? (list.data.passwordSet ? 'set' : html`not set — run <code>fazt auth password set</code> on the server`) : '…'}.
      Authenticator (TOTP): ${totp.data ? (totp.data.enabled ? 'on' : html`off — <code>fazt auth totp enable</code>`) : '…'}.</p>
    <${ErrorNote} error=${list.error} />
    ${list.data &&
    html`<div class="table-wrap"><table>
      <thead><tr><th>Browser</th><th>Signed in</th><th class="hide-narrow">Last seen</th><th class="hide-narrow">From</th><th></th></tr></thead>
      <tbody>${list.data.sessions.map(
        (s) => html`<tr key=${s.id}>
          <td>${s.current ? html`<span class="badge ok">this one</span> ` : null}<span class="small">${(s.userAgent ?? 'unknown').slice(0, 60)}</span></td>
          <td><${When} at=${s.createdAt} /> <span class="muted small">(${s.method})</span></td>
          <td class="hide-narrow"><${When} at=${s.lastSeenAt} /></td>
          <td class="hide-narrow">${s.address ?? '—'}</td>
          <td>${s.current ? null : html`<${Action} kind="danger" label="Sign this browser out" run=${() => op('auth.sessions.revoke', { id: s.id }).then(list.reload)}>Sign out</${Action}>`}</td>
        </tr>`,
      )}</tbody></table></div>`}
  </section>`;
}

/** Providers for servers, DNS and domains: which are set up (their tokens are never shown). */
function InfraProviders() {
  const list = useOp('infra.providers.list');
  return html`<section class="panel" aria-labelledby="infra-h">
    <h2 id="infra-h">Servers, DNS and domains</h2>
    <${ErrorNote} error=${list.error} />
    ${list.data &&
    html`<div class="table-wrap"><table>
      <thead><tr><th>Provider</th><th>For</th><th>Set up</th></tr></thead>
      <tbody>${list.data.providers.map(
        (p) => html`<tr key=${p.provider}><td>${p.title}</td><td>${p.kinds.join(', ')}</td>
          <td>${p.configured ? html`<span class="badge ok">yes</span>` : html`<span class="muted">no</span>`}${p.problem ? html` <span class="error small">${p.problem}</span>` : null}</td></tr>`,
      )}</tbody></table></div>
      <p class="muted small">Set one up with <code>fazt infra providers set --provider hetzner --api-token -</code> (the token is read from standard input and stored encrypted).</p>`}
  </section>`;
}

/** Every certificate the server holds, with its state and next renewal. */
function Certificates() {
  const list = useOp('net.ssl.list');
  return html`<section class="panel" aria-labelledby="certs-h">
    <h2 id="certs-h">Certificates</h2>
    <${ErrorNote} error=${list.error} />
    ${list.data &&
    (list.data.certificates.length === 0
      ? html`<p class="muted">No certificates yet: add a domain to an app (Apps → an app → Domains).</p>`
      : html`<div class="table-wrap"><table>
      <thead><tr><th>Domain</th><th>State</th><th class="hide-narrow">Source</th><th>Expires</th></tr></thead>
      <tbody>${list.data.certificates.map(
        (c) => html`<tr key=${c.domain}><td>${c.domain}</td><td><span class=${'badge' + (c.state === 'valid' ? ' ok' : '')}>${c.state}</span></td>
          <td class="hide-narrow">${c.source}</td><td>${c.notAfter ? html`<${When} at=${c.notAfter} />` : '—'}</td></tr>`,
      )}</tbody></table></div>`)}
  </section>`;
}

/** Backups: the latest ones, and one made now. */
function Backups() {
  const list = useOp('backup.list');
  const [made, setMade] = useState(null);
  const now = async () => {
    const r = await op('backup.create', { note: 'from the dashboard' });
    setMade(`Backup ${r.id} made (${bytes(r.bytes)}).`);
    list.reload();
  };
  return html`<section class="panel" aria-labelledby="backups-h">
    <h2 id="backups-h">Backups</h2>
    <${ErrorNote} error=${list.error} />
    ${made && html`<p class="notice" role="status">${made}</p>`}
    ${list.data &&
    (list.data.backups.length === 0
      ? html`<p class="muted">No backups yet (${list.data.target}).</p>`
      : html`<div class="table-wrap"><table>
      <thead><tr><th>Backup</th><th>Made</th><th class="hide-narrow">Size</th></tr></thead>
      <tbody>${list.data.backups.slice(0, 10).map(
        (b) => html`<tr key=${b.id}><td><code>${b.id}</code>${b.encrypted ? html` <span class="badge">encrypted</span>` : null}</td><td><${When} at=${b.createdAt} /></td><td class="hide-narrow">${bytes(b.bytes)}</td></tr>`,
      )}</tbody></table></div>`)}
    <${Action} label="Back up now" run=${now}>Back up now</${Action}>
  </section>`;
}

export function SettingsPage() {
  return html`<section aria-labelledby="settings-h">
    <h1 id="settings-h">Settings</h1>
    ${has('ai.providers.list') ? html`<${AiSettings} />` : null}
    ${has('notify.channels.list') ? html`<${NotifySettings} />` : null}
    <${Sessions} />
    ${has('infra.providers.list') ? html`<${InfraProviders} />` : null}
    ${has('net.ssl.list') ? html`<${Certificates} />` : null}
    ${has('backup.list') ? html`<${Backups} />` : null}
  </section>`;
}
