import { redactTokens, SECRET_KEY } from '../audit/redact.js';

/** Longest message (UTF-8 bytes) and serialised fields kept per line; longer ones are cut with a marker. */
export const MAX_MESSAGE = 8 * 1024;
export const MAX_FIELDS = 16 * 1024;

export function clipMessage(message: unknown): string {
  // A token in a log line (an error echoing a URL, an app logging a header) is redacted where it is written.
  const s = redactTokens(typeof message === 'string' ? message : safeString(message));
  // Characters are at most 4 bytes: a short string needs no byte count.
  if (s.length * 4 <= MAX_MESSAGE) return s;
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.length <= MAX_MESSAGE) return s;
  // A cut through a multi-byte character decodes to U+FFFD at worst.
  return `${bytes.subarray(0, MAX_MESSAGE).toString('utf8')}… [truncated, ${bytes.length} bytes]`;
}

/** Serialises fields with secret-looking keys replaced; null when there are none. */
export function serializeFields(fields: Record<string, unknown> | undefined): string | null {
  if (!fields || typeof fields !== 'object') return null;
  let json: string;
  try {
    json = JSON.stringify(fields, (key, value) => (key && SECRET_KEY.test(key) ? '[redacted]' : typeof value === 'bigint' ? String(value) : value));
  } catch {
    return JSON.stringify({ _unserializable: true });
  }
  if (json === undefined || json === '{}') return null;
  // Token characters never include quotes or backslashes, so this keeps the JSON valid.
  json = redactTokens(json);
  return json.length > MAX_FIELDS ? JSON.stringify({ _truncated: true, bytes: Buffer.byteLength(json), preview: json.slice(0, 1024) }) : json;
}

function safeString(v: unknown): string {
  if (v instanceof Error) return v.stack ?? v.message;
  try {
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  } catch {
    return String(v);
  }
}

/** A served path as kept in the access log: bounded, and with any token in its query redacted. */
export function accessPath(path: string): string {
  const p = path.length > 2048 ? path.slice(0, 2048) : path;
  return p.includes('fzt_') ? redactTokens(p) : p;
}
