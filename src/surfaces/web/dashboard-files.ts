import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeployFileInput } from '../../apps/deploy-service.js';

/**
 * The browser modules the dashboard imports by bare name (see its import map),
 * served from the installed packages' own ESM files: no CDN, works offline.
 */
const VENDOR: Record<string, string> = {
  'vendor/preact.js': 'preact',
  'vendor/preact-hooks.js': 'preact/hooks',
  'vendor/htm.js': 'htm',
};

/** The package's web/dashboard folder, from dist/src/surfaces/web/ (compiled) or src/surfaces/web/. */
export function dashboardDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', '..', '..', 'web', 'dashboard'), join(here, '..', '..', '..', 'web', 'dashboard')];
  return candidates.find((d) => existsSync(d)) ?? candidates[0];
}

function walk(dir: string, root: string, out: [string, Buffer][]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, root, out);
    else out.push([relative(root, full).split(sep).join('/'), readFileSync(full)]);
  }
}

/** Every file of the dashboard app, and a digest that changes whenever one of them does. */
export function dashboardFiles(): { files: DeployFileInput[]; digest: string } {
  const dir = dashboardDir();
  const raw: [string, Buffer][] = [];
  walk(dir, dir, raw);
  for (const [path, specifier] of Object.entries(VENDOR)) raw.push([path, readFileSync(fileURLToPath(import.meta.resolve(specifier)))]);
  const h = createHash('sha256');
  for (const [path, content] of raw) h.update(path).update('\0').update(content).update('\0');
  const files = raw.map(([path, content]) => ({ path, content: content.toString('base64'), encoding: 'base64' as const }));
  return { files, digest: h.digest('hex').slice(0, 16) };
}

/**
 * What every dashboard response carries: no sniffing, no framing, and for pages a
 * Content-Security-Policy that runs only the dashboard's own scripts (and its one
 * inline import map, by hash), talks only to its own origin and loads nothing else.
 */
export function dashboardHeaders(): (mime: string) => string[] {
  const html = readFileSync(join(dashboardDir(), 'index.html'), 'utf8');
  const hashes = [...html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
  const csp = [
    "default-src 'none'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    // Inline style attributes are part of the markup (layout tweaks), never script.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const common = ['x-content-type-options', 'nosniff', 'x-frame-options', 'DENY', 'referrer-policy', 'same-origin'];
  const page = ['content-security-policy', csp, ...common];
  return (mime) => (mime.startsWith('text/html') ? page : common);
}
