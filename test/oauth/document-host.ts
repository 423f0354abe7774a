import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp.js';

/**
 * An https server on loopback that hosts client metadata documents, as a client's
 * own web site would. Its certificate is made with openssl for 127.0.0.1 and localhost.
 */
export interface DocumentHost {
  origin: string;
  caFile: string;
  /** Paths requested, in order. */
  requested: string[];
  /** Documents by path: an object is served as JSON, a function decides the whole answer. */
  docs: Map<string, unknown>;
  close(): Promise<void>;
}

export async function startDocumentHost(): Promise<DocumentHost> {
  const tmp = tempDir('fazt-cimd-');
  const key = join(tmp.dir, 'key.pem');
  const cert = join(tmp.dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  const requested: string[] = [];
  const docs = new Map<string, unknown>();
  const server: Server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    requested.push(req.url ?? '');
    const doc = docs.get(req.url ?? '');
    if (typeof doc === 'function') return doc(req, res);
    if (doc === undefined) return res.writeHead(404).end();
    const body = JSON.stringify(doc);
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin, caFile: cert, requested, docs,
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => (tmp.cleanup(), r()));
    }),
  };
}

/** A plain-http document server, to show http:// client ids are refused without being fetched. */
export async function startPlainHost(): Promise<{ origin: string; requested: string[]; close(): Promise<void> }> {
  const requested: string[] = [];
  const server: HttpServer = createHttpServer((req, res) => {
    requested.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requested, close: () => new Promise((r) => server.close(() => r())) };
}
