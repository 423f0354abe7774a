// The baseline for bench/mcp-latency: the smallest server the same SDK allows, one no-op tool.
import { createServer } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

export function minimalServer(): McpServer {
  const s = new McpServer({ name: 'minimal', version: '1.0.0' });
  s.registerTool('noop', { description: 'Does nothing' }, async () => ({ content: [{ type: 'text', text: 'ok' }] }));
  return s;
}

/** Streamable HTTP on a free loopback port; resolves with the /mcp URL. */
export function startMinimalHttp(): Promise<{ url: string; close(): void }> {
  const handler = toNodeHandler(createMcpHandler(() => minimalServer()));
  const server = createServer((req, res) => void handler(req, res));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address() as { port: number };
    resolve({ url: `http://127.0.0.1:${a.port}/mcp`, close: () => server.close() });
  }));
}

if (process.argv.includes('--stdio')) serveStdio(() => minimalServer());
