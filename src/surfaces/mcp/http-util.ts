import { DEFAULT_BODY_LIMITS } from '../http/body-limits.js';
import { jsonDepth } from '../http/json-body.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';

/** A JSON-RPC error as an HTTP response (for rejections before the SDK sees the message). */
export function sendRpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}, id: unknown = null): void {
  if (res.headersSent) return void res.end();
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/**
 * DNS-rebinding guard: a browser page on another site must not drive the
 * endpoint. No Origin (non-browser clients) is fine; otherwise it must be
 * loopback, the configured domain or one of its subdomains.
 */
export function originAllowed(origin: string | undefined, domain: string): boolean {
  if (!origin) return true;
  let host: string;
  try {
    host = new URL(origin).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '::1') return true;
  if (isIP(host)) return false;
  const d = domain.toLowerCase();
  return host === d || host.endsWith('.' + d);
}

export class BodyTooLarge extends Error {}

/** Reads at most `limit` bytes; a bigger message is refused without reading the rest. */
export async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; status: number; code: number; message: string };

/**
 * Parses one JSON-RPC message; batches are refused (removed from MCP in 2025-06-18, and a cheap amplifier),
 * and so is nesting deeper than `maxDepth`, before parsing: it would overflow whatever walks the message.
 */
export function parseMessage(buf: Buffer, maxDepth = DEFAULT_BODY_LIMITS.maxJsonDepth): ParsedBody {
  if (jsonDepth(buf, maxDepth) > maxDepth) {
    return { ok: false, status: 400, code: -32600, message: `Invalid Request: the message is nested deeper than ${maxDepth} levels (set with --set http.maxJsonDepth).` };
  }
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    return { ok: false, status: 400, code: -32700, message: `Parse error: ${(err as Error).message}` };
  }
  if (Array.isArray(value)) return { ok: false, status: 400, code: -32600, message: 'Batch requests are not supported: send one JSON-RPC message per HTTP request.' };
  if (!value || typeof value !== 'object' || (value as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
    return { ok: false, status: 400, code: -32600, message: 'Invalid Request: expected a JSON-RPC 2.0 object with "jsonrpc": "2.0".' };
  }
  return { ok: true, value };
}

export function isInitialize(body: unknown): boolean {
  return !!body && typeof body === 'object' && (body as { method?: unknown }).method === 'initialize';
}

/**
 * The key a caller without a token is counted by: its IP address, or for
 * IPv6 its /64 (one host usually holds a whole /64, so single addresses
 * would cost an attacker nothing). IPv4-mapped IPv6 is plain IPv4.
 */
export function clientAddressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return v4[1];
  if (isIP(address) !== 6) return address;
  const [head, tail = ''] = address.toLowerCase().split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
