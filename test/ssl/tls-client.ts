import { connect as h2connect } from 'node:http2';
import { request } from 'node:https';
import type { PeerCertificate } from 'node:tls';

export interface TlsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  cert: PeerCertificate;
  alpn: string | false | null;
}

/** An HTTPS request to 127.0.0.1:port naming `host` in SNI and Host (what `curl --resolve` does), over HTTP/1.1. */
export function httpsRequest(
  port: number,
  host: string,
  path: string,
  opts: { ca?: string; method?: string; headers?: Record<string, string>; body?: string | Buffer; insecure?: boolean } = {},
): Promise<TlsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1', port, path, method: opts.method ?? 'GET', servername: host, agent: false,
        headers: { host: `${host}:${port}`, connection: 'close', ...opts.headers },
        ...(opts.ca ? { ca: opts.ca } : {}),
        rejectUnauthorized: !opts.insecure,
        ...(opts.insecure ? { checkServerIdentity: () => undefined } : {}),
      },
      (res) => {
        const sock = res.socket as import('node:tls').TLSSocket;
        const cert = sock.getPeerCertificate();
        const alpn = sock.alpnProtocol;
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), cert, alpn }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The same over HTTP/2 (ALPN h2). */
export function h2Request(port: number, host: string, path: string, ca: string): Promise<{ status: number; body: string; alpn: string | false | undefined }> {
  return new Promise((resolve, reject) => {
    const session = h2connect(`https://127.0.0.1:${port}`, { ca, servername: host });
    session.on('error', reject);
    const req = session.request({ ':path': path, ':authority': `${host}:${port}` });
    let status = 0;
    let body = '';
    req.on('response', (h) => (status = Number(h[':status'])));
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const alpn = session.alpnProtocol;
      session.close();
      resolve({ status, body, alpn });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits for a condition, polling; fails with `what` after `ms`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
