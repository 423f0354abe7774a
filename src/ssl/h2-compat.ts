import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/**
 * Lets handlers written for HTTP/1.1 serve an HTTP/2 request unchanged: the Host
 * comes from `:authority`, and per-connection headers (which HTTP/2 forbids) are dropped.
 */
export function adaptHttp2(req: Http2ServerRequest, res: Http2ServerResponse): void {
  if (req.headers.host === undefined && req.headers[':authority'] !== undefined) req.headers.host = req.headers[':authority'];
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name: string, value: number | string | readonly string[]) => (CONNECTION_HEADERS.has(name.toLowerCase()) ? res : setHeader(name, value));
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => Http2ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const last = rest[rest.length - 1];
    if (last && typeof last === 'object') {
      if (Array.isArray(last)) {
        // Flat [name, value, name, value] or [[name, value]] arrays.
        const flat = last.flat() as string[];
        const kept: string[] = [];
        for (let i = 0; i < flat.length; i += 2) if (!CONNECTION_HEADERS.has(String(flat[i]).toLowerCase())) kept.push(flat[i], flat[i + 1]);
        rest[rest.length - 1] = Object.fromEntries(kept.reduce<[string, string][]>((acc, v, i) => (i % 2 ? acc : [...acc, [kept[i], kept[i + 1]]]), []));
      } else {
        rest[rest.length - 1] = Object.fromEntries(Object.entries(last).filter(([k]) => !CONNECTION_HEADERS.has(k.toLowerCase())));
      }
    }
    return writeHead(status, ...rest);
  }) as typeof res.writeHead;
}
