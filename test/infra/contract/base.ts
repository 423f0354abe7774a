import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the loopback provider saw it: enough to assert the exact call. */
export interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface Failure {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Only fail a request whose "METHOD path" matches. */
  match?: RegExp;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Route = [method: string, path: RegExp, handle: (req: Received, m: RegExpExecArray) => Reply];

export interface Loopback {
  url: string;
  received: Received[];
  /** Requests other than polling and listing noise: "METHOD path". */
  calls(filter?: RegExp): string[];
  failNext(...f: Failure[]): void;
  /** Headers every answer carries (rate-limit headers). */
  headers: (req: Received) => Record<string, string>;
  close(): Promise<void>;
}

/** A loopback HTTP server answering JSON routes, recording every request, with canned failures first. */
export async function loopback(routes: () => Route[], headers: (req: Received) => Record<string, string> = () => ({}), guard?: (req: Received) => Reply | undefined): Promise<Loopback> {
  const failures: Failure[] = [];
  const state = { received: [] as Received[], headers } as Loopback;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw || null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        /* keep text */
      }
      const u = new URL(req.url ?? '/', 'http://x');
      const r: Received = { method: req.method ?? 'GET', path: u.pathname, query: Object.fromEntries(u.searchParams), headers: req.headers, body };
      state.received.push(r);
      const send = (x: Reply) => {
        res.writeHead(x.status, { ...(x.body !== undefined ? { 'content-type': 'application/json' } : {}), ...state.headers(r), ...x.headers });
        res.end(x.body === undefined ? undefined : JSON.stringify(x.body));
      };
      const fi = failures.findIndex((f) => !f.match || f.match.test(`${r.method} ${r.path}`));
      if (fi >= 0) return send(failures.splice(fi, 1)[0]);
      const refused = guard?.(r);
      if (refused) return send(refused);
      for (const [method, re, handle] of routes()) {
        const m = re.exec(r.path);
        if (m && method === r.method) {
          try {
            return send(handle(r, m));
          } catch (err) {
            return send({ status: 500, body: { error: String(err) } });
          }
        }
      }
      send({ status: 404, body: { error: { code: 'not_found', message: `no route ${r.method} ${r.path}` } } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    calls: (filter?: RegExp) => state.received.map((r) => `${r.method} ${r.path}`).filter((c) => !filter || filter.test(c)),
    failNext: (...f: Failure[]) => failures.push(...f),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  });
  return state;
}
