import type { IncomingMessage } from 'node:http';
import { OpError } from '../../kernel/ops/errors.js';
import { appVisibleHeaders } from './app-headers.js';
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

function toObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

/** The `request` an app sees: JSON and form bodies parsed, multipart files split out, header names lower-case. */
export function toAppRequest(req: IncomingMessage, url: URL, raw: Buffer, requestId: string): AppRequest {
  const headers = appVisibleHeaders(req);
  const type = (headers['content-type'] ?? '').toLowerCase();
  let body: unknown = null;
  let files: UploadedFile[] = [];
  if (raw.length) {
    if (type.includes('json')) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        throw new OpError('BAD_INPUT', `The request body is not valid JSON: ${(err as Error).message}`);
      }
    } else if (type.startsWith('application/x-www-form-urlencoded')) {
      body = toObject(new URLSearchParams(raw.toString('utf8')));
    } else if (type.startsWith('multipart/form-data')) {
      try {
        const parsed = parseMultipart(raw, headers['content-type']);
        body = parsed.fields;
        files = parsed.files;
      } catch (err) {
        throw new OpError('BAD_INPUT', `The multipart body could not be read: ${(err as Error).message}`);
      }
    } else {
      body = raw.toString('utf8');
    }
  }
  return { id: requestId, method: req.method ?? 'GET', path: url.pathname, query: toObject(url.searchParams), headers, body, files };
}
