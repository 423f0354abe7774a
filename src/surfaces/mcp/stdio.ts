import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { Kernel } from '../../kernel/kernel.js';
import type { Caller } from '../../kernel/ops/define.js';
import { verifyConfirmState } from './confirm.js';
import { kernelCatalog } from './kernel-catalog.js';
import { buildServer } from './server-factory.js';
import { asModel, toolGroupsOf } from './targets.js';

/** Logs for stdio mode: stdout carries the protocol, so everything else goes to stderr. */
export const log = (msg: string) => process.stderr.write(`fazt mcp: ${msg}\n`);

/** Serves mcp.kernel on stdin/stdout from an in-process kernel (no server running). */
export function serveKernelStdio(kernel: Kernel, caller: Caller, tools?: string): { close(): Promise<void> } {
  const groups = toolGroupsOf(kernel, tools);
  const model = asModel(caller);
  return serveStdio(
    () => buildServer({ catalog: kernelCatalog(kernel, () => model, { groups }), sessionId: () => 'stdio', subscriptions: new Set(), verifyState: verifyConfirmState }),
    { onerror: (e) => log(e.message) },
  );
}

/**
 * Relays stdin/stdout to a fazt server's `/mcp` over Streamable HTTP: the
 * server does all the work (auth, halts, audit), this only moves messages.
 */
export async function bridgeStdio(url: string, token: string, tools?: string): Promise<{ closed: Promise<void> }> {
  const target = new URL('/mcp', url);
  if (tools) target.searchParams.set('tools', tools);
  const http = new StreamableHTTPClientTransport(target, { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  const stdio = new StdioServerTransport();
  const initIds = new Set<unknown>();
  let done!: () => void;
  const closed = new Promise<void>((r) => (done = r));

  stdio.onmessage = (m: JSONRPCMessage) => {
    const msg = m as { id?: unknown; method?: string };
    if (msg.method === 'initialize') initIds.add(msg.id);
    http.send(m).catch((err: Error) => {
      log(`relay to ${target.origin} failed: ${err.message}`);
      if (msg.id !== undefined && msg.method) {
        const error = serverRefusal(err.message) ?? { code: -32000, message: `fazt server unreachable: ${err.message}` };
        void stdio.send({ jsonrpc: '2.0', id: msg.id as never, error });
      }
    });
  };
  http.onmessage = (m: JSONRPCMessage) => {
    const msg = m as { id?: unknown; result?: { protocolVersion?: string } };
    // Later requests must carry the negotiated version header, as an SDK client would set it.
    if (initIds.has(msg.id) && msg.result?.protocolVersion) http.setProtocolVersion(msg.result.protocolVersion);
    void stdio.send(m);
  };
  http.onerror = (e) => log(e.message);
  stdio.onclose = () => void http.close().finally(done);
  await http.start();
  await stdio.start();
  return { closed };
}

/** The server's own JSON-RPC error inside a transport error (a 4xx before any session), so the client sees the server's reason. */
function serverRefusal(message: string): { code: number; message: string } | undefined {
  const at = message.indexOf('{');
  if (at < 0) return undefined;
  try {
    const e = (JSON.parse(message.slice(at)) as { error?: { code?: unknown; message?: unknown } }).error;
    return typeof e?.message === 'string' ? { code: typeof e.code === 'number' ? e.code : -32000, message: e.message } : undefined;
  } catch {
    return undefined;
  }
}
