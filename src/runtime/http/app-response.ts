import { SandboxError } from '../sandbox/errors.js';
import type { EncodedResponse } from '../sandbox/types.js';

const CONTENT_TYPES = { json: 'application/json; charset=utf-8', text: 'text/plain; charset=utf-8', bytes: 'application/octet-stream', empty: '' };

/**
 * Headers that describe the connection or the message framing, not the content:
 * only fazt decides those, or an app could smuggle a second response onto the
 * connection (chunked and a length at once), switch protocols, or hold it open.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'te', 'trailer', 'http2-settings']);
/** RFC 9110 token: what a header name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible characters, spaces and tabs (Latin-1 included); never CR, LF or other controls. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export interface ResponseHead {
  status: number;
  headers: Record<string, string>;
  /** False for 204 and 304, which never carry a body (nor, for 204, a length). */
  hasBody: boolean;
}

/**
 * The status and headers fazt sends for an app's response. Throws a SandboxError
 * (an app error, 500, logged for the app) for a status that is not final or a
 * header that is not valid HTTP. Framing headers are dropped, and so are those for
 * which `isFazts(name)` is true: headers fazt set on the response before the app ran
 * (x-request-id, security headers) stay fazt's.
 */
export function responseHead(out: EncodedResponse, isFazts: (name: string) => boolean): ResponseHead {
  const status = out.status;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new SandboxError('error', `The app responded with status ${status}; responses must have a final status, 200-599 (fazt handles 1xx and protocol switches itself).`);
  }
  const headers: Record<string, string> = Object.create(null);
  for (const [rawName, value] of Object.entries(out.headers)) {
    if (!TOKEN.test(rawName)) throw new SandboxError('error', `The app responded with an invalid header name ${JSON.stringify(rawName)}: a header name is letters, digits and !#$%&'*+-.^_\`|~ only.`);
    const name = rawName.toLowerCase();
    if (HOP_BY_HOP.has(name) || name.startsWith('proxy-') || isFazts(name)) continue;
    const v = String(value);
    if (!FIELD_VALUE.test(v)) throw new SandboxError('error', `The app responded with an invalid value for header '${name}': header values cannot hold CR, LF or other control characters.`);
    headers[name] = v;
  }
  const hasBody = status !== 204 && status !== 304;
  if (hasBody) {
    if (out.type !== 'empty' && !headers['content-type']) headers['content-type'] = CONTENT_TYPES[out.type];
    headers['content-length'] = String(out.body.length);
  }
  return { status, headers, hasBody };
}
