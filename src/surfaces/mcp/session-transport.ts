import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler, type NodeMcpRequestHandler } from '@modelcontextprotocol/node';
import { WebStandardStreamableHTTPServerTransport, type AuthInfo } from '@modelcontextprotocol/server';
import { SessionEventStore } from './session-event-store.js';

/** Reconnect delay suggested to 2025 clients whose SSE stream ends (the `retry` field). */
const SSE_RETRY_MS = 1_000;

/**
 * A 2025 session's Streamable HTTP transport, resumable (SessionEventStore),
 * written to Node responses by the SDK's plain adapter. The SDK's own Node
 * transport goes through an adapter that, when a stream's first chunk is
 * ready and the next is not, waits a timer tick before sending headers:
 * with a priming event first on every stream, that was a millisecond on
 * every call.
 */
export class SessionTransport extends WebStandardStreamableHTTPServerTransport {
  private readonly node: NodeMcpRequestHandler;

  constructor(sessionId: string, maxRequestBodySize: number) {
    super({ sessionIdGenerator: () => sessionId, eventStore: new SessionEventStore(), retryInterval: SSE_RETRY_MS });
    this.node = toNodeHandler({ fetch: (request, options) => this.handleRequest(request, options) }, { maxRequestBodySize });
  }

  /** Serves one HTTP request of this session; `body` is the already parsed JSON of a POST. */
  handleNode(req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse, body?: unknown): Promise<void> {
    if (req.method === 'GET') flushHeadersOnWrite(res);
    return this.node(req, res, body);
  }
}

/**
 * A standalone GET stream has no first event to carry its headers out (Node
 * holds them until the first write), so the client would wait for the first
 * keep-alive to learn the stream is open. Send them as soon as they are set.
 */
function flushHeadersOnWrite(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    const r = writeHead(...args);
    res.flushHeaders();
    return r;
  }) as ServerResponse['writeHead'];
}
