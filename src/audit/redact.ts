/** Keys whose values never reach an audit row, a log line or an MCP result. */
export const SECRET_KEY = /(token|secret|password|passwd|apikey|api_key|authorization|cookie|credential|private_?key|totp|^code$)/i;
const MAX_STRING = 256;

/** Copies a value with secrets replaced and long strings (file contents) summarised. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') {
    return value.length > MAX_STRING ? `${value.slice(0, 64)}… (${value.length} chars)` : value;
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, 50).map((v) => redact(v, depth + 1));
    if (value.length > 50) items.push(`… (${value.length - 50} more)`);
    return items;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}
