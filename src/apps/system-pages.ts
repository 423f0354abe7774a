import type { Kernel } from '../kernel/kernel.js';
import type { DeployFileInput } from './deploy-service.js';

const STYLE = `body{font:16px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;background:#0f1115;color:#e6e6e6}
main{max-width:44rem;margin:10vh auto;padding:0 1.5rem}h1{font-size:2rem;margin:.2em 0}a{color:#7cc4ff}
code{background:#1b1f27;padding:.1em .35em;border-radius:4px}ul{padding-left:1.2em}.muted{color:#9aa3ad}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main></body>
</html>
`;
}

/** Default content of the root and 404 system apps, written by the server on first start (admin is the dashboard). */
export function systemPages(kernel: Kernel): Record<'root' | '404', DeployFileInput[]> {
  const apps = kernel.services.apps;
  const { port } = kernel.config;
  const root = page(
    'fazt',
    `<h1>fazt is running</h1>
<p class="muted">A personal cloud in one process and one SQLite file.</p>
<ul>
  <li><a href="${apps.urlFor('admin')}">Dashboard</a></li>
  <li><a href="${apps.urlFor('hello')}">Example app (hello)</a>, if it was deployed</li>
</ul>
<p>Deploy a folder: <code>fazt deploy ./my-site</code> — it is then served at <code>http://my-site.${kernel.config.domain}:${port}/</code>.</p>`,
  );
  const notFound = page(
    'Not found',
    `<h1>404 — not found</h1>
<p class="muted">There is no page at this address.</p>
<p><a href="${apps.urlFor('root')}">Go to the start page</a></p>`,
  );
  const f = (content: string) => [{ path: 'index.html', content }];
  return { root: f(root), '404': f(notFound) };
}
