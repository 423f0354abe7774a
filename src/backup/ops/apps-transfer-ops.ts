import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { SYSTEM_APPS, validateSlug } from '../../apps/apps-service.js';
import { appRef } from '../../apps/schemas.js';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { FAZT_VERSION } from '../../kernel/server-ops.js';
import { AppArchiveError, exportApp, importApp, readAppHeader } from '../app-archive.js';
import { schemaVersions } from '../manifest.js';
import { downloadTo } from '../download.js';

// A name, not a path: an export is written only under <data>/exports, never where a caller points.
const fileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.faztapp$/, 'a file name ending in .faztapp (letters, digits, . _ -)');

export const appsExport = defineOp({
  name: 'apps.export',
  title: 'Export an app',
  description:
    'Writes one app as a single archive on the server (under <data>/exports): every version with its files, its kv, documents and blobs, tool registrations and event grants. Import it on another fazt with apps.import. Returns the file path, bytes, sha256 and row counts.',
  input: z.object({
    app: appRef,
    name: fileName.optional().describe('File name under <data>/exports (default <slug>-<time>.faztapp)'),
  }),
  output: z.object({ app: z.string(), file: z.string(), bytes: z.number(), sha256: z.string(), rows: z.record(z.string(), z.number()) }),
  requires: ['kernel:apps:read', 'app:{app}:read'],
  risk: 'read',
  cli: { command: ['apps', 'export'], positional: ['app'] },
  handler: async ({ kernel }, input) => {
    const app = kernel.services.apps.get(input.app);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const dir = join(kernel.config.dataDir, 'exports');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, input.name ?? `${app.slug}-${stamp}.faztapp`);
    const r = await exportApp(kernel.db, app, { faztVersion: FAZT_VERSION, exportedAt: new Date().toISOString(), schema: schemaVersions(kernel.db) }, file);
    return { app: app.slug, file, ...r };
  },
});

export const appsImport = defineOp({
  name: 'apps.import',
  title: 'Import an app',
  description:
    'Creates an app from an apps.export archive (a path on this server or an http(s) URL): same versions, files, active version and data. The slug is the exported one unless given; an existing slug is refused.',
  input: z.object({
    from: z.string().min(1).max(4096).describe('Absolute path on the server, or an http(s) URL'),
    slug: z.string().optional().describe('Slug for the new app (default: the exported slug)'),
    name: z.string().min(1).max(100).optional(),
  }),
  output: z.object({ id: z.string(), slug: z.string(), activeVersion: z.number().nullable(), rows: z.record(z.string(), z.number()) }),
  requires: 'kernel:apps:write',
  risk: 'write',
  cli: { command: ['apps', 'import'], positional: ['from'] },
  handler: async ({ kernel }, input) => {
    const remote = /^https?:\/\//.test(input.from);
    if (!remote && !isAbsolute(input.from)) throw new OpError('BAD_INPUT', `from must be an absolute path on the server or an http(s) URL, not '${input.from}'.`);
    const tmp = remote ? mkdtempSync(join(tmpdir(), 'fazt-import-')) : undefined;
    try {
      const file = tmp ? join(tmp, 'app.faztapp') : input.from;
      if (tmp) await downloadTo(input.from, file);
      else if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new OpError('NOT_FOUND', `No file at ${file}.`);
      const header = await readAppHeader(file);
      const slug = input.slug ?? header.app.slug;
      try {
        validateSlug(slug);
      } catch (err) {
        throw new OpError('BAD_INPUT', (err as Error).message);
      }
      if ((SYSTEM_APPS as readonly string[]).includes(slug)) throw new OpError('CONFLICT', `'${slug}' is a system app name: import under another slug (slug=...).`);
      if (kernel.services.apps.find(slug)) throw new OpError('CONFLICT', `An app named '${slug}' already exists here: import under another slug (slug=...).`, { slug });
      const r = await importApp(kernel.db, file, slug, input.name ?? header.app.name);
      kernel.events.emit({ type: 'system.app.created', source: 'system', data: { id: r.id, slug } });
      return { id: r.id, slug, activeVersion: r.activeVersion, rows: r.rows };
    } catch (err) {
      if (err instanceof AppArchiveError) throw new OpError('BAD_INPUT', err.message);
      throw err;
    } finally {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
  },
});
