import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import type { McpEndpoint, Target } from './endpoint.js';
import { parseMessage, readLimited, sendRpcError } from './http-util.js';

/**
 * The conformance fixture tool with an `x-mcp-header` argument (SEP-2243),
 * and the Mcp-Param header check its calls get. The SDK runs that check only
 * for its high-level McpServer; fazt serves a low-level Server, so the
 * fixture listener applies it before the endpoint sees the request.
 */
const NAME = 'test_custom_header';
const SCHEMA = {
  type: 'object',
  properties: { region: { type: 'string', description: 'Region to greet', 'x-mcp-header': 'Region' } },
  required: ['region'],
} as const;

export const HEADER_TOOL = {
  def: { name: NAME, description: 'Tool whose region argument is mirrored in the Mcp-Param-Region header', inputSchema: SCHEMA as unknown as Tool['inputSchema'] },
  run: (args: Record<string, unknown>): CallToolResult => ({ content: [{ type: 'text', text: `Hello from ${String(args.region)}` }] }),
};

const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `=?base64?...?=` carries UTF-8 as Base64; anything else is literal. Undefined when the Base64 is invalid. */
export function decodeParamValue(value: string): string | undefined {
  if (!(value.startsWith('=?base64?') && value.endsWith('?=') && value.length >= 11)) return value;
  const b64 = value.slice(9, -2);
  if (!CANONICAL_BASE64.test(b64)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(b64, 'base64'));
  } catch {
    return undefined;
  }
}

/** Whether this request must be checked: a tools/call naming the header tool. */
export function needsParamCheck(req: IncomingMessage): boolean {
  const name = req.headers['mcp-name'];
  return req.method === 'POST' && typeof name === 'string' && name.trim() === NAME;
}

/** Why the Mcp-Param headers disagree with the body, or undefined when they agree. */
export function paramHeaderMismatch(headers: IncomingHttpHeaders, body: unknown): string | undefined {
  const msg = body as { method?: unknown; params?: { name?: unknown; arguments?: Record<string, unknown> } };
  if (msg?.method !== 'tools/call' || msg.params?.name !== NAME) return undefined;
  for (const [prop, schema] of Object.entries(SCHEMA.properties)) {
    const value = msg.params.arguments?.[prop];
    if (value === undefined || value === null) continue;
    const header = `mcp-param-${schema['x-mcp-header'].toLowerCase()}`;
    const raw = headers[header];
    if (typeof raw !== 'string') return `the body carries ${prop} but the ${header} header is absent`;
    const decoded = decodeParamValue(raw);
    if (decoded === undefined) return `the ${header} header carries invalid Base64`;
    if (decoded !== String(value)) return `the ${header} header decodes to ${JSON.stringify(decoded)} but the body carries ${prop}=${JSON.stringify(value)}`;
  }
  return undefined;
}

/** The request again, with the body already read (the endpoint reads it itself). */
function replayRequest(req: IncomingMessage, body: Buffer): IncomingMessage {
  return Object.assign(Readable.from([body]), { method: req.method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders }) as unknown as IncomingMessage;
}

/** The Mcp-Param header check (HTTP 400, -32020 HeaderMismatch), then the endpoint as usual. */
export async function checkedHandle(endpoint: McpEndpoint, req: IncomingMessage, res: ServerResponse, target: Target, maxBytes: number): Promise<void> {
  const buf = await readLimited(req, maxBytes);
  const parsed = parseMessage(buf);
  const problem = parsed.ok ? paramHeaderMismatch(req.headers, parsed.value) : undefined;
  if (!parsed.ok || !problem) return endpoint.handle(replayRequest(req, buf), res, target);
  sendRpcError(res, 400, -32020, `Bad Request: the request headers and body disagree: ${problem}`, {}, (parsed.value as { id?: unknown }).id ?? null);
}
