import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { normalizeAppPath } from '../file-paths.js';
import { appRef } from '../schemas.js';

/** Larger files are for the app's URL, not for a model's context. */
const MAX_READ_BYTES = 8 * 1024 * 1024;

const TEXT_MIME = /^text\/|^application\/(json|javascript|xml|manifest\+json)|^image\/svg\+xml/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text when the type says so and the bytes are valid UTF-8; everything else travels as base64. */
function asText(mime: string, data: Buffer): string | null {
  if (!TEXT_MIME.test(mime)) return null;
  try {
    return utf8.decode(data);
  } catch {
    return null;
  }
}

export const appsFilesRead = defineOp({
  name: 'apps.files.read',
  title: 'Read app file',
  description:
    "Returns one file of an app's live version: text files as text, other files as base64. " +
    'private/** is never served and cannot be read here. Also the MCP resource fazt://apps/{id}/files/{+path}.',
  input: z.object({
    app: appRef,
    path: z.string().min(1).max(2048).describe("Path inside the app, e.g. 'index.html' or 'api/main.js'"),
  }),
  output: z.object({
    app: z.string(),
    version: z.number().int(),
    path: z.string(),
    mime: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    encoding: z.enum(['utf8', 'base64']),
    text: z.string().optional(),
    base64: z.string().optional(),
  }),
  requires: ['kernel:apps:read', 'app:{app}:read'],
  risk: 'read',
  idempotent: true,
  cli: { command: ['apps', 'file'], positional: ['app', 'path'] },
  handler: ({ kernel }, input) => {
    const path = normalizeAppPath(input.path);
    if (path === 'private' || path.startsWith('private/')) {
      throw new OpError('FORBIDDEN', `'${path}': private/** is never served; only the app's own code reads it.`, { path });
    }
    const app = kernel.services.apps.get(input.app);
    if (app.activeVersion === null) throw new OpError('NOT_FOUND', `The app '${app.slug}' has no live version yet.`);
    const file = kernel.services.files.read(app.id, path);
    if (!file) throw new OpError('NOT_FOUND', `The app '${app.slug}' has no file '${path}' in version ${app.activeVersion}.`, { path });
    if (file.size > MAX_READ_BYTES) {
      throw new OpError('TOO_LARGE', `'${path}' is ${file.size} bytes; files above ${MAX_READ_BYTES} bytes are read from the app's URL.`, { size: file.size, limit: MAX_READ_BYTES });
    }
    const text = asText(file.mime, file.data);
    const base = { app: app.slug, version: app.activeVersion, path, mime: file.mime, size: file.size, sha256: file.sha256 };
    return text !== null ? { ...base, encoding: 'utf8' as const, text } : { ...base, encoding: 'base64' as const, base64: file.data.toString('base64') };
  },
});

export const filesOps = [appsFilesRead];
