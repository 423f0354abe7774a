/** Keys whose values never reach an audit row, a log line or an MCP result. */
export const SECRET_KEY = /(token|secret|password|passphrase|passwd|apikey|api_key|authorization|cookie|credential|private_?key|totp|^code$)/i;
const MAX_STRING = 256;

/**
 * A fazt token (`fzt_<id>_<secret>`, see auth/tokens.ts) anywhere in a text, a
 * cut-off secret too. The id is kept: it names the token, and is no credential.
 */
// The secret is 43 base64url characters: at most that many are taken, so text after a token stays.
const TOKEN_IN_TEXT = /fzt_([a-f0-9]{12})_[A-Za-z0-9_-]{1,43}/g;
export const REDACTED_TOKEN = (id: string) => `fzt_${id}_[redacted]`;

/** Replaces every fazt token in a text by its id and `[redacted]`. */
export function redactTokens(text: string): string {
  return text.includes('fzt_') ? text.replace(TOKEN_IN_TEXT, (_m, id: string) => REDACTED_TOKEN(id)) : text;
}

/** Copies a value with fazt tokens redacted in every string and key, and nothing else changed. */
export function redactTokensIn(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactTokens(value);
  if (depth > 32 || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactTokensIn(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[redactTokens(k)] = redactTokensIn(v, depth + 1);
  return out;
}

/** Copies a value with secrets (by key name, and fazt tokens anywhere) replaced and long strings (file contents) summarised. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') {
    const text = redactTokens(value);
    return text.length > MAX_STRING ? `${text.slice(0, 64)}… (${value.length} chars)` : text;
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, 50).map((v) => redact(v, depth + 1));
    if (value.length > 50) items.push(`… (${value.length - 50} more)`);
    return items;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactTokens(k)] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}
