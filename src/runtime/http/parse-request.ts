import type { IncomingMessage } from 'node:http';
import { DEFAULT_BODY_LIMITS, type BodyLimits } from '../../surfaces/http/body-limits.js';
import { paramsToObject } from '../../surfaces/http/params.js';
import { appVisibleHeaders } from './app-headers.js';
import { parseBodyJson } from './body-parser.js';
import type { UploadedFile } from './multipart.js';

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
 * The `request` an app sees, as the JSON text the sandbox receives: JSON and form
 * bodies parsed, multipart files split out, header names lower-case. `limits` caps
 * fields and JSON nesting (400 above them); big bodies are parsed off the main thread.
 */
export async function toAppRequest(req: IncomingMessage, url: URL, raw: Buffer, requestId: string, limits: BodyLimits = DEFAULT_BODY_LIMITS): Promise<string> {
  const headers = appVisibleHeaders(req);
  const query = paramsToObject(url.search, limits.maxFormFields, 'query string');
  const head: Omit<AppRequest, 'body' | 'files'> = { id: requestId, method: req.method ?? 'GET', path: url.pathname, query, headers };
  const bodyAndFiles = await parseBodyJson(headers['content-type'] ?? '', raw, limits);
  // Splice the two JSON objects: the body is never parsed back on this thread.
  return `${JSON.stringify(head).slice(0, -1)},${bodyAndFiles.slice(1)}`;
}
