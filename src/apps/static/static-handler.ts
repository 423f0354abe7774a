import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Kernel, RouteInfo } from '../../kernel/kernel.js';
import type { ObservedRequest } from '../../kernel/request-observer.js';
import { isPrivatePath } from '../file-paths.js';
import { BlobCache, type CachedBlob } from './blob-cache.js';
import { etagMatches, parseRange, pickEncoding } from './conditional.js';
import { HitTally } from './hit-tally.js';
import { MAX_RESOLVED, SiteIndex, type Site, type SiteFile } from './site-index.js';
import { Variants, type Encoding } from './variants.js';

type Sent = { status: number; bytes: number };

const NOT_FOUND_PAGE = Buffer.from('<!doctype html><title>Not found</title><h1>404</h1><p>Nothing here.</p>\n');

/**
 * Serves the active version of the app a host names. Everything a request needs
 * (file table, headers, content, compressed forms) is prepared once and kept,
 * so a hit is a few map lookups and one write.
 */
export class StaticServer {
  readonly sites: SiteIndex;
  readonly cache: BlobCache;
  private readonly variants: Variants;
  private readonly hits: HitTally;

  constructor(private readonly kernel: Kernel) {
    this.sites = new SiteIndex(kernel);
    this.cache = new BlobCache(kernel.config.staticCacheBytes);
    this.variants = new Variants(kernel);
    this.hits = new HitTally(kernel.requests);
  }

  /** Drops what an app change made stale. */
  invalidate(ref?: string, evictContent = false): void {
    const dropped = this.sites.invalidate(ref);
    if (evictContent) for (const s of dropped) for (const f of s.files.values()) this.cache.delete(f.sha256);
  }

  handler() {
    return (req: IncomingMessage, res: ServerResponse, route: RouteInfo) => this.handle(req, res, route);
  }

  /** Synchronous for a hit on a hot file; a promise only when work must wait (compression, the 404 page). */
  private handle(req: IncomingMessage, res: ServerResponse, route: RouteInfo): boolean | Promise<boolean> {
    let pathname = route.path;
    // Unclaimed API paths on the kernel host get the API's JSON 404, not a web page.
    if (route.hostKind === 'kernel' && (pathname.startsWith('/api/') || pathname === '/api')) return false;
    const t0 = performance.now();
    const method = req.method;
    const site = this.sites.get(route.slug);
    let status: number;
    if (method !== 'GET' && method !== 'HEAD') {
      status = 405;
      const body = Buffer.from(`${method} is not allowed here: static files answer GET and HEAD.\n`);
      res.writeHead(405, ['allow', 'GET, HEAD', 'content-type', 'text/plain; charset=utf-8', 'content-length', String(body.length)]);
      res.end(body);
      return this.report(route, site, req, pathname, status, body.length, t0);
    }
    const known = site?.resolved.get(pathname);
    if (known !== undefined) return this.answer(req, res, route, site!, known.file, known.path, t0);
    const asSent = pathname;
    if (pathname.includes('%')) {
      try {
        pathname = decodeURIComponent(pathname);
      } catch {
        return this.notFound(req, res, route, site, pathname, t0);
      }
    }
    if (!site) return this.notFound(req, res, route, site, pathname, t0);
    let rel = pathname.slice(1);
    while (rel.startsWith('/')) rel = rel.slice(1);
    if (isPrivatePath(rel) || rel.includes('\0')) return this.notFound(req, res, route, site, pathname, t0);
    let file = site.files.get(rel === '' || rel.endsWith('/') ? rel + 'index.html' : rel);
    // Only a path that names its file is remembered (the SPA fallback depends on the request).
    if (file && site.resolved.size < MAX_RESOLVED) site.resolved.set(asSent, { file, path: pathname });
    if (!file) {
      if (rel !== '' && !rel.endsWith('/') && site.files.has(rel + '/index.html')) {
        const location = encodeURI(`/${rel}/`).replace(/^\/\/+/, '/') + route.url.search;
        res.writeHead(301, ['location', location, 'content-length', '0']);
        res.end();
        return this.report(route, site, req, pathname, 301, 0, t0);
      }
      if (site.spa && wantsPage(req, rel)) file = site.files.get('index.html');
      if (!file) return this.notFound(req, res, route, site, pathname, t0);
    }
    return this.answer(req, res, route, site, file, pathname, t0);
  }

  /** Sends a file found for the request with status 200 (or what its conditional headers call for). */
  private answer(req: IncomingMessage, res: ServerResponse, route: RouteInfo, site: Site, file: SiteFile, path: string, t0: number): boolean | Promise<boolean> {
    const sent = this.send(req, res, file, 200);
    if (sent instanceof Promise) return sent.then((x) => this.report(route, site, req, path, x.status, x.bytes, t0));
    // The hot path: a whole file or a 304 answered at once is counted, not reported.
    if (sent.status !== 206 && sent.status !== 416) this.hits.count(site.appId, route.slug, req.method!, path, sent.status, sent.bytes, t0);
    else this.report(route, site, req, path, sent.status, sent.bytes, t0);
    return true;
  }

  /** Synchronous unless a compressed form must be made first (once per file and encoding). */
  private send(req: IncomingMessage, res: ServerResponse, file: SiteFile, status: number): Sent | Promise<Sent> {
    const h = req.headers;
    const head = req.method === 'HEAD';
    if (status === 200) {
      const inm = h['if-none-match'];
      const ims = h['if-modified-since'];
      if (inm !== undefined ? etagMatches(inm, file.etag) : ims !== undefined && Date.parse(ims) >= file.lastModifiedMs) {
        res.writeHead(304, file.notModifiedHead);
        res.end();
        return { status: 304, bytes: 0 };
      }
    }
    const entry = this.content(file);
    let body = entry.data;
    const range = status === 200 ? h.range : undefined;
    if (range !== undefined && (h['if-range'] === undefined || h['if-range'] === file.etag)) {
      const r = parseRange(range, body.length);
      if (r === 'unsatisfiable') {
        res.writeHead(416, ['content-range', `bytes */${body.length}`, 'content-length', '0', ...file.head]);
        res.end();
        return { status: 416, bytes: 0 };
      }
      if (r !== 'ignore') {
        body = body.subarray(r.start, r.end + 1);
        const headers = file.head.slice();
        headers.push('content-range', `bytes ${r.start}-${r.end}/${entry.data.length}`, 'etag', file.etag, 'content-length', String(body.length));
        res.writeHead(206, headers);
        res.end(head ? undefined : body);
        return { status: 206, bytes: head ? 0 : body.length };
      }
    }
    if (file.compressible) {
      const enc = pickEncoding(h['accept-encoding'] as string | undefined);
      if (enc) {
        const v = entry[enc];
        if (v === undefined) {
          return this.variants.get(file.sha256, enc, entry.data).then((made) => {
            this.cache.addVariant(file.sha256, entry, enc, made);
            return made ? this.write(res, head, status, file, enc, made) : this.write(res, head, status, file, undefined, body);
          });
        }
        if (v) return this.write(res, head, status, file, enc, v);
      }
    }
    return this.write(res, head, status, file, undefined, body);
  }

  private write(res: ServerResponse, head: boolean, status: number, file: SiteFile, enc: Encoding | undefined, body: Buffer): Sent {
    res.writeHead(status, fullHead(file, enc, body.length));
    res.end(head ? undefined : body);
    return { status, bytes: head ? 0 : body.length };
  }

  private content(file: SiteFile): CachedBlob {
    const hit = this.cache.get(file.sha256);
    if (hit) return hit;
    const data = this.kernel.services.files.blob(file.sha256) ?? Buffer.alloc(0);
    return this.cache.put(file.sha256, data);
  }

  /** The app's own 404.html, else the 404 system app's page, with status 404. */
  private async notFound(req: IncomingMessage, res: ServerResponse, route: RouteInfo, site: Site | null, path: string, t0: number): Promise<boolean> {
    const page = site?.files.get('404.html') ?? this.sites.get('404')?.files.get('index.html');
    if (page) {
      const sent = await this.send(req, res, page, 404);
      return this.report(route, site, req, path, sent.status, sent.bytes, t0);
    }
    res.writeHead(404, ['content-type', 'text/html; charset=utf-8', 'content-length', String(NOT_FOUND_PAGE.length), 'cache-control', 'no-cache']);
    res.end(req.method === 'HEAD' ? undefined : NOT_FOUND_PAGE);
    return this.report(route, site, req, path, 404, NOT_FOUND_PAGE.length, t0);
  }

  private report(route: RouteInfo, site: Site | null, req: IncomingMessage, path: string, status: number, bytes: number, t0: number): true {
    const obs = this.kernel.requests;
    if (obs.count === 0) return true;
    obs.emit(new StaticRequest(site?.appId ?? null, route, req.method ?? 'GET', path, status, performance.now() - t0, bytes));
    return true;
  }
}

/** A static request as observers see it; its id is spelled out only if one reads it. */
class StaticRequest implements ObservedRequest {
  readonly kind = 'static';
  readonly slug: string;

  constructor(
    readonly appId: string | null,
    private readonly route: RouteInfo,
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly durationMs: number,
    readonly bytes: number,
  ) {
    this.slug = route.slug;
  }

  get requestId(): string {
    return this.route.requestId;
  }
}

/**
 * The complete header list of a whole-file answer in one encoding, built on the
 * first answer and kept on the file (writeHead only reads it).
 */
function fullHead(file: SiteFile, enc: Encoding | undefined, length: number): string[] {
  const key = enc ?? 'identity';
  const ready = file.ready[key];
  if (ready !== undefined && ready.length === length) return ready.head;
  const head = file.head.slice();
  if (enc) head.push('content-encoding', enc, 'etag', `"${file.etag.slice(1, -1)}-${enc === 'br' ? 'br' : 'gz'}"`);
  else head.push('etag', file.etag);
  head.push('content-length', String(length));
  file.ready[key] = { length, head };
  return head;
}

/** SPA fallback is for page navigations, not for a missing script or image. */
function wantsPage(req: IncomingMessage, rel: string): boolean {
  const last = rel.slice(rel.lastIndexOf('/') + 1);
  if (!last.includes('.')) return true;
  const accept = req.headers.accept;
  return typeof accept === 'string' && accept.includes('text/html');
}
