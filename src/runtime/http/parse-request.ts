import type { IncomingMessage } from 'node:http';
import { OpError } from '../../kernel/ops/errors.js';
import { DEFAULT_BODY_LIMITS, type BodyLimits } from '../../surfaces/http/body-limits.js';
import { parseJsonBody } from '../../surfaces/http/json-body.js';
import { paramsToObject } from '../../surfaces/http/params.js';
import { parseMultipart, type UploadedFile } from './multipart.js';

export interface AppRequest {
  id: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
}

/**
 * The `request` an app sees: JSON and form bodies parsed, multipart files split out, header names lower-case.
 * `limits` caps fields and JSON nesting (400 above them).
 */
export function toAppRequest(req: IncomingMessage, url: URL, raw: Buffer, requestId: string, limits: BodyLimits = DEFAULT_BODY_LIMITS): AppRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  const type = (headers['content-type'] ?? '').toLowerCase();
  let body: unknown = null;
  let files: UploadedFile[] = [];
  const query = paramsToObject(url.search, limits.maxFormFields, 'query string');
  if (raw.length) {
    if (type.includes('json')) {
      body = parseJsonBody(raw, limits.maxJsonDepth);
    } else if (type.startsWith('application/x-www-form-urlencoded')) {
      body = paramsToObject(raw.toString('utf8'), limits.maxFormFields, 'form body');
    } else if (type.startsWith('multipart/form-data')) {
      try {
        const parsed = parseMultipart(raw, headers['content-type'], limits.maxFormFields);
        body = parsed.fields;
        files = parsed.files;
      } catch (err) {
        throw new OpError('BAD_INPUT', `The multipart body could not be read: ${(err as Error).message}`);
      }
    } else {
      body = raw.toString('utf8');
    }
  }
  return { id: requestId, method: req.method ?? 'GET', path: url.pathname, query, headers, body, files };
}
