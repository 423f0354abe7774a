import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { csrfToken } from './lib/api.js';
import { loadAvailable } from './lib/available.js';
import { ErrorNote, html } from './lib/ui.js';
import { AgentPage } from './pages/agent.js';
import { ApprovalsPage } from './pages/approvals.js';
import { AppsPage } from './pages/apps.js';
import { AuditPage } from './pages/audit.js';
import { HealthPage } from './pages/health.js';
import { SettingsPage } from './pages/settings.js';
import { TokensPage } from './pages/tokens.js';

const PAGES = [
  ['health', 'Health', HealthPage],
  ['approvals', 'Approvals', ApprovalsPage],
  ['apps', 'Apps', AppsPage],
  ['agent', 'Agent', AgentPage],
  ['audit', 'Audit', AuditPage],
  ['tokens', 'Tokens', TokensPage],
  ['settings', 'Settings', SettingsPage],
];

function route() {
  const [page = 'health', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { page: PAGES.some(([p]) => p === page) ? page : 'health', arg: rest.map(decodeURIComponent).join('/') };
}

function App() {
  const [r, setR] = useState(route());
  const [ready, setReady] = useState(null);
  const first = useRef(true);
  useEffect(() => {
    const on = () => setR(route());
    addEventListener('hashchange', on);
    loadAvailable().then(() => setReady(true), (e) => setReady(e));
    return () => removeEventListener('hashchange', on);
  }, []);
  useEffect(() => {
    const title = PAGES.find(([p]) => p === r.page)[1];
    document.title = `${title} — fazt`;
    // After a page change, focus goes to the new content (screen readers announce it); not on first load.
    if (first.current) first.current = false;
    else document.getElementById('main')?.focus();
  }, [r.page, r.arg]);
  const Page = PAGES.find(([p]) => p === r.page)[2];
  return html`
    <a class="skip" href="#main" onClick=${(e) => (e.preventDefault(), document.getElementById('main').focus())}>Skip to content</a>
    <header>
      <span class="brand">fazt</span>
      <nav aria-label="Dashboard"><ul>
        ${PAGES.map(([p, label]) => html`<li key=${p}><a href=${'#/' + p} aria-current=${r.page === p ? 'page' : undefined}>${label}</a></li>`)}
      </ul></nav>
      <form method="post" action="/logout"><input type="hidden" name="csrf" value=${csrfToken()} /><button type="submit">Sign out</button></form>
    </header>
    <main id="main" tabindex="-1">
      ${ready === true ? html`<${Page} arg=${r.arg} slug=${r.page === 'apps' ? r.arg : undefined} />` : ready ? html`<${ErrorNote} error=${ready} />` : html`<p class="muted">Loading…</p>`}
    </main>`;
}

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
