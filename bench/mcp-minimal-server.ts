// The baseline for bench/mcp-latency: the smallest server the same SDK allows, one no-op tool.
import { createServer } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer, Server, type Tool } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

export function minimalServer(): McpServer {
  const s = new McpServer({ name: 'minimal', version: '1.0.0' });
  s.registerTool('noop', { description: 'Does nothing' }, async () => ({ content: [{ type: 'text', text: 'ok' }] }));
  return s;
}

/** A server that lists fixed tool definitions (a baseline for tools/list of the same size) and answers every call with 'ok'. */
export function listingServer(tools: Tool[]): Server {
  const s = new Server({ name: 'minimal-list', version: '1.0.0' }, { capabilities: { tools: {} } });
  s.setRequestHandler('tools/list', async () => ({ tools }));
  s.setRequestHandler('tools/call', async () => ({ content: [{ type: 'text', text: 'ok' }] }));
  return s;
}

/** Streamable HTTP on a free loopback port; resolves with the /mcp URL. */
export function startMinimalHttp(tools?: Tool[]): Promise<{ url: string; close(): void }> {
  const handler = toNodeHandler(createMcpHandler(() => (tools ? listingServer(tools) : minimalServer())));
  const server = createServer((req, res) => void handler(req, res));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address() as { port: number };
    resolve({ url: `http://127.0.0.1:${a.port}/mcp`, close: () => server.close() });
  }));
}

if (process.argv.includes('--stdio')) serveStdio(() => minimalServer());
