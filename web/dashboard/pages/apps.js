import { useEffect, useRef, useState } from 'preact/hooks';
import { follow, op } from '../lib/api.js';
import { has } from '../lib/available.js';
import { Action, bytes, ErrorNote, html, Loading, useOp, When } from '../lib/ui.js';

export function AppsPage({ slug }) {
  return slug ? html`<${AppDetail} slug=${slug} />` : html`<${AppList} />`;
}

function AppList() {
  const apps = useOp('apps.list', { includeSystem: true });
  return html`<section aria-labelledby="apps-h">
    <h1 id="apps-h">Apps</h1>
    <${ErrorNote} error=${apps.error} />
    ${apps.loading && !apps.data ? html`<${Loading} what="apps" />` : null}
    ${apps.data &&
    html`<div class="table-wrap"><table>
      <thead><tr><th>App</th><th>Live version</th><th class="hide-narrow">Updated</th><th>Address</th></tr></thead>
      <tbody>${apps.data.apps.map(
        (a) => html`<tr key=${a.id}>
          <td><a href=${'#/apps/' + encodeURIComponent(a.slug)}>${a.slug}</a>${a.system ? html` <span class="badge">system</span>` : null}</td>
          <td>${a.activeVersion ?? '—'}</td>
          <td class="hide-narrow"><${When} at=${a.updatedAt} /></td>
          <td><a href=${a.url}>${a.url.replace(/^https?:\/\//, '')}</a></td>
        </tr>`,
      )}</tbody></table></div>`}
  </section>`;
}

function AppDetail({ slug }) {
  const versions = useOp('deploy.versions', { app: slug }, slug);
  const usage = useOp('storage.usage', { app: slug }, slug);
  const tools = useOp('apps.tools.list', { app: slug }, slug);
  const [gone, setGone] = useState(null);
  if (gone) return html`<section><h1>${slug}</h1><p class="notice" role="status">${gone}</p><p><a href="#/apps">Back to the apps</a></p></section>`;
  const del = async () => {
    const r = await op('apps.delete', { id: slug });
    setGone(r.deleted ? `The app ${slug} was deleted.` : `Deleting ${slug} waits for approval.`);
  };
  const rollback = (version) => op('deploy.rollback', { app: slug, version }).then(versions.reload);
  return html`<section aria-labelledby="app-h">
    <p><a href="#/apps">← All apps</a></p>
    <h1 id="app-h">${slug}</h1>
    <h2>Versions</h2>
    <${ErrorNote} error=${versions.error} />
    ${versions.data &&
    html`<div class="table-wrap"><table>
      <thead><tr><th>Version</th><th>Status</th><th class="hide-narrow">Files</th><th class="hide-narrow">Message</th><th>Created</th><th></th></tr></thead>
      <tbody>${versions.data.versions.map(
        (v) => html`<tr key=${v.version} data-version=${v.version}>
          <td>${v.version}${v.active ? html` <span class="badge ok">live</span>` : null}</td>
          <td>${v.status}</td>
          <td class="hide-narrow">${v.fileCount} (${bytes(v.totalBytes)})</td>
          <td class="hide-narrow">${v.message ?? ''}</td>
          <td><${When} at=${v.createdAt} /></td>
          <td>${!v.active && v.status === 'ready'
            ? html`<${Action} label=${`Roll back to version ${v.version}`} run=${() => rollback(v.version)}>Make live</${Action}>`
            : null}</td>
        </tr>`,
      )}</tbody></table></div>`}
    <h2>Storage</h2>
    <${ErrorNote} error=${usage.error} />
    ${usage.data &&
    html`<p>${bytes(usage.data.totalBytes)} in all — key-value: ${usage.data.kv.entries} entries (${bytes(usage.data.kv.bytes)}),
      documents: ${usage.data.docs.count} (${bytes(usage.data.docs.bytes)}), blobs: ${usage.data.blobs.count} (${bytes(usage.data.blobs.bytes)})</p>`}
    <h2>MCP tools</h2>
    <${ErrorNote} error=${tools.error} />
    ${tools.data &&
    (tools.data.tools.length === 0
      ? html`<p class="muted">This app registers no MCP tools.</p>`
      : html`<ul>${tools.data.tools.map((t) => html`<li key=${t.name}><code>${t.name}</code> ${t.readOnly ? html`<span class="badge">read-only</span>` : null} — ${t.description}</li>`)}</ul>`)}
    <h2>Domains and certificates</h2>
    ${has('apps.domains.list')
      ? html`<${Domains} slug=${slug} />`
      : html`<p class="muted">Custom domains and certificates are not available on this server; the app is served at its subdomain.</p>`}
    <${Logs} slug=${slug} />
    <h2>Danger zone</h2>
    <${Action} kind="danger" label=${`Delete the app ${slug}`} confirm=${`Delete ${slug} with all its versions, files and data?`} run=${del}>Delete app</${Action}>
  </section>`;
}

function Logs({ slug }) {
  const [filter, setFilter] = useState({ kind: 'app', level: '', grep: '', since: '24h' });
  const [lines, setLines] = useState([]);
  const [error, setError] = useState(null);
  const [tail, setTail] = useState(false);
  const [live, setLive] = useState('');
  const box = useRef(null);
  const params = () => {
    const p = { app: slug, kind: filter.kind };
    if (filter.level) p.level = filter.level;
    if (filter.grep) p.grep = filter.grep;
    return p;
  };
  const load = () =>
    op('logs.query', { ...params(), since: filter.since || undefined, limit: 200 }).then(
      (r) => (setLines(r.entries.slice().reverse()), setError(null)),
      setError,
    );
  useEffect(() => {
    load();
  }, [slug, filter.kind, filter.level, filter.since]);
  useEffect(() => {
    if (!tail) return setLive('');
    const q = new URLSearchParams({ ...params(), tail: '0' });
    return follow(`/api/stream/logs?${q}`, (l) => setLines((ls) => [...ls.slice(-999), l]), setLive);
  }, [tail, slug, filter.kind, filter.level, filter.grep]);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines]);
  const set = (k) => (e) => setFilter({ ...filter, [k]: e.target.value });
  return html`<div>
    <h2 id="logs-h">Logs</h2>
    <form class="row" aria-labelledby="logs-h" onSubmit=${(e) => (e.preventDefault(), load())}>
      <div class="field"><label for="log-kind">Kind</label>
        <select id="log-kind" value=${filter.kind} onChange=${set('kind')}><option value="app">App lines</option><option value="access">Requests</option></select></div>
      <div class="field"><label for="log-level">Level</label>
        <select id="log-level" value=${filter.level} onChange=${set('level')}><option value="">All</option><option value="info">info and up</option><option value="warn">warn and up</option><option value="error">error</option></select></div>
      <div class="field"><label for="log-since">Since</label>
        <select id="log-since" value=${filter.since} onChange=${set('since')}><option value="1h">1 hour</option><option value="24h">24 hours</option><option value="7d">7 days</option></select></div>
      <div class="field"><label for="log-grep">Contains</label><input id="log-grep" value=${filter.grep} onInput=${set('grep')} /></div>
      <button type="submit">Search</button>
      <label class="row"><input type="checkbox" checked=${tail} onChange=${(e) => setTail(e.target.checked)} /> Live tail</label>
      ${live && html`<span class=${'live' + (live === 'live' ? ' on' : '')} role="status">${live}</span>`}
    </form>
    <${ErrorNote} error=${error} />
    <div class="panel logs" ref=${box} tabindex="0" aria-label="Log lines" aria-live="polite">
      ${lines.length === 0 ? html`<p class="muted">No lines.</p>` : null}
      ${lines.map(
        (l) => html`<div key=${l.id}>${l.at} ${'status' in l ? `${l.status} ${l.method} ${l.path} ${l.durationMs} ms` : `${l.level} ${l.message}`}</div>`,
      )}
    </div>
  </div>`;
}

/** The app's own domains with each certificate's state; add one, or remove one (removing a domain whose certificate serves asks first). */
function Domains({ slug }) {
  const list = useOp('apps.domains.list', { app: slug }, slug);
  const [domain, setDomain] = useState('');
  const [note, setNote] = useState(null);
  const [error, setError] = useState(null);
  const add = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      await op('apps.domains.add', { app: slug, domain: domain.trim() });
      setNote(`${domain.trim()} now serves ${slug}; its certificate follows once its DNS points here.`);
      setDomain('');
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const remove = async (d) => {
    const r = await op('apps.domains.remove', { domain: d });
    setNote(r && r.halted ? `Removing ${d} waits for approval.` : `${d} was removed.`);
    list.reload();
  };
  return html`<div>
    <${ErrorNote} error=${list.error} />
    ${note && html`<p class="notice" role="status">${note}</p>`}
    ${list.data &&
    (list.data.domains.length === 0
      ? html`<p class="muted">No custom domain yet: the app is served at its subdomain.</p>`
      : html`<div class="table-wrap"><table>
      <thead><tr><th>Domain</th><th>Certificate</th><th class="hide-narrow">Expires</th><th></th></tr></thead>
      <tbody>${list.data.domains.map(
        (d) => html`<tr key=${d.domain}>
          <td><a href=${'https://' + d.domain + '/'}>${d.domain}</a></td>
          <td><span class=${'badge' + (d.certificate.status === 'valid' ? ' ok' : '')}>${d.certificate.status}</span>${d.certificate.source ? ` (${d.certificate.source})` : ''}${d.certificate.lastError ? html` <span class="error small">${d.certificate.lastError}</span>` : null}</td>
          <td class="hide-narrow">${d.certificate.notAfter ? html`<${When} at=${d.certificate.notAfter} />` : '—'}</td>
          <td><${Action} kind="danger" label=${`Remove the domain ${d.domain}`} confirm=${`Stop serving ${slug} at ${d.domain}?`} run=${() => remove(d.domain)}>Remove</${Action}></td>
        </tr>`,
      )}</tbody></table></div>`)}
    <form class="panel" onSubmit=${add} aria-labelledby="dom-h">
      <h3 id="dom-h">Add a domain</h3>
      <div class="field"><label for="dom-name">Domain</label><input id="dom-name" required placeholder="photos.example.com" maxlength="253" value=${domain} onInput=${(e) => setDomain(e.target.value)} /></div>
      ${error && html`<p class="error" role="alert">${error.message}</p>`}
      <button type="submit">Add domain</button>
    </form>
  </div>`;
}
