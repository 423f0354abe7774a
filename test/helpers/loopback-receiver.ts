import { createServer, type IncomingHttpHeaders } from 'node:http';

/** One request as the loopback receiver saw it. */
export interface Received {
  method: string;
  /** Path with its query string, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** What to answer a request with; `hold` keeps it open until the client gives up. */
export type Responder = (req: Received) => Reply | 'hold';

export interface LoopbackReceiver {
  url: string;
  received: Received[];
  /** Replaces the answer for the requests that follow. */
  respond(responder: Responder): void;
  /** Resolves with the next request, once it has fully arrived. */
  nextRequest(): Promise<Received>;
  close(): Promise<void>;
}

/**
 * A node:http server on 127.0.0.1 that records every request and answers as a
 * test tells it to: each test scripts the service's documented answers.
 */
export async function loopbackReceiver(initial: Responder): Promise<LoopbackReceiver> {
  let responder = initial;
  const received: Received[] = [];
  const waiting: ((r: Received) => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(got);
      waiting.splice(0).forEach((w) => w(got));
      const reply = responder(got);
      if (reply === 'hold') return;
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    respond: (r) => { responder = r; },
    nextRequest: () => new Promise((r) => waiting.push(r)),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const { createServer: createNetServer } = await import('node:net');
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
