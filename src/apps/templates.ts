import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpError } from '../kernel/ops/errors.js';
import type { DeployFileInput } from './deploy-service.js';
import { packFolder } from './pack.js';

/** Written in template files where the new app's display name goes. */
const NAME_MARK = '{{APP_NAME}}';

export interface TemplateInfo {
  name: string;
  description: string;
  files: number;
  /** Has api/main.js: serverless routes and tools. */
  api: boolean;
}

/**
 * The templates are plain files in the package (src/apps/templates/<name>/), read
 * where they are, like examples/: from dist/src/apps/ when compiled.
 */
export function templatesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', '..', 'src', 'apps', 'templates'), join(here, 'templates')];
  return candidates.find((d) => existsSync(d)) ?? candidates[0];
}

export function templateNames(): string[] {
  const dir = templatesDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

export function listTemplates(): TemplateInfo[] {
  return templateNames().map((name) => {
    const dir = join(templatesDir(), name);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { description?: string };
    const { files } = packFolder(dir);
    return { name, description: manifest.description ?? '', files: files.length, api: files.some((f) => f.path === 'api/main.js') };
  });
}

/** A template's files with the app's name written in (escaped for HTML and JSON). */
export function templateFiles(template: string, appName: string): DeployFileInput[] {
  const names = templateNames();
  if (!names.includes(template)) {
    throw new OpError('BAD_INPUT', `Unknown template '${template}'. Templates: ${names.join(', ')}.`, {
      fields: [{ path: 'template', message: `one of ${names.join(', ')}` }],
    });
  }
  return packFolder(join(templatesDir(), template)).files.map((f) => {
    if (f.encoding === 'base64' || !f.content.includes(NAME_MARK)) return f;
    const value = f.path.endsWith('.json') ? JSON.stringify(appName).slice(1, -1) : f.path.endsWith('.html') ? escapeHtml(appName) : undefined;
    return value === undefined ? f : { ...f, content: f.content.split(NAME_MARK).join(value) };
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
