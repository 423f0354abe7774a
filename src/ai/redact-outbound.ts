import { redactTokens } from '../audit/redact.js';

/**
 * One redactor for everything that leaves the box for a model: fazt tokens,
 * known secret values, well-known key shapes, high-entropy values after
 * key/token/secret/password, and — when asked — e-mail addresses and IPs.
 */
export interface RedactOptions {
  /** Plaintexts to remove wherever they appear (provider keys, channel credentials). */
  secrets?: readonly string[];
  emails?: boolean;
  ips?: boolean;
}

const KEY_SHAPES: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[redacted:private-key]'],
  [/\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/g, '[redacted:api-key]'],
  [/\bAKIA[0-9A-Z]{16}\b/g, '[redacted:aws-key]'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, '[redacted:github-token]'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, '[redacted:slack-token]'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, '[redacted:google-key]'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '[redacted:jwt]'],
];
const NAMED_VALUE = /\b(api[_-]?key|access[_-]?key|token|secret|password|passwd|pwd|bearer|authorization)(["']?\s*[:=]\s*["']?|\s+)([^\s"',;}{)]{8,})/gi;
const EMAIL = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g;
const IPV4 = /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g;
const IPV6 = /\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}\b/gi;

/** Bits per character: real secrets are random, ordinary words are not. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

export function redactOutbound(text: string, opts: RedactOptions = {}): string {
  let out = text;
  for (const s of opts.secrets ?? []) if (s.length >= 6) out = out.split(s).join('[redacted:secret]');
  out = redactTokens(out);
  for (const [re, label] of KEY_SHAPES) out = out.replace(re, label);
  out = out.replace(NAMED_VALUE, (m, name: string, sep: string, value: string) =>
    value.startsWith('[redacted') || entropy(value) < 3 ? m : `${name}${sep}[redacted]`,
  );
  if (opts.emails) out = out.replace(EMAIL, '[redacted:email]');
  if (opts.ips) out = out.replace(IPV4, '[redacted:ip]').replace(IPV6, '[redacted:ip]');
  return out;
}
