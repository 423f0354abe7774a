import type { Kernel } from '../../kernel/kernel.js';
import { isCompressible, isHashedAsset, isHtml } from '../mime.js';

/** A file as the static server needs it, with its response headers computed once. */
export interface SiteFile {
  path: string;
  sha256: string;
  size: number;
  mime: string;
  compressible: boolean;
  etag: string;
  lastModified: string;
  lastModifiedMs: number;
  /** Header name/value pairs shared by every response for this file. */
  head: string[];
  /** The headers of a 304 for this file. */
  notModifiedHead: string[];
  /** Complete header lists of whole-file answers by encoding, filled as they are first sent. */
  ready: Partial<Record<'identity' | 'br' | 'gzip', { length: number; head: string[] }>>;
}

export interface Site {
  appId: string;
  slug: string;
  version: number;
  spa: boolean;
  files: Map<string, SiteFile>;
  /**
   * Request paths (as sent) already resolved to a file, with the decoded path:
   * a repeated hit skips decoding and the private-path checks. Bounded, and
   * dropped with the site when the app changes.
   */
  resolved: Map<string, { file: SiteFile; path: string }>;
}

/** Resolved paths a site remembers at most; past that, new paths resolve every time. */
export const MAX_RESOLVED = 4096;

const MAX_SITES = 1000;
const MIN_COMPRESS = 256;
/** Text smaller than this is not worth resuming or seeking in. */
const MIN_RANGES_TEXT = 64 * 1024;

/**
 * Slug → the active version's file table, loaded once per version and dropped
 * when the app is deployed, rolled back, created or deleted.
 */
export class SiteIndex {
  /** null: no such app, or nothing deployed yet. */
  private readonly sites = new Map<string, Site | null>();
  /** Extra headers an app's files always carry, by slug (the dashboard's security policy). */
  private readonly policies = new Map<string, (mime: string) => string[]>();

  constructor(private readonly kernel: Kernel) {}

  /** Sets the headers every file of one app is served with, from its content type. */
  setHeaders(slug: string, headersFor: (mime: string) => string[]): void {
    this.policies.set(slug, headersFor);
    this.invalidate(slug);
  }

  get(slug: string): Site | null {
    let s = this.sites.get(slug);
    if (s === undefined) {
      if (this.sites.size >= MAX_SITES) this.sites.clear();
      s = this.load(slug);
      this.sites.set(slug, s);
    }
    return s;
  }

  /** Forgets one app (by id or slug), or everything. Returns the dropped sites. */
  invalidate(ref?: string): Site[] {
    if (ref === undefined) {
      const all = [...this.sites.values()].filter((s): s is Site => !!s);
      this.sites.clear();
      return all;
    }
    const dropped: Site[] = [];
    for (const [slug, s] of this.sites) {
      if (slug === ref || s?.appId === ref) {
        if (s) dropped.push(s);
        this.sites.delete(slug);
      }
    }
    return dropped;
  }

  private load(slug: string): Site | null {
    if (!slug) return null;
    const db = this.kernel.db;
    const app = db.prepare('SELECT id, active_version AS v FROM apps WHERE slug = ?').get(slug) as { id: string; v: number | null } | undefined;
    if (!app || app.v === null) return null;
    const rows = db
      .prepare(
        `SELECT vf.path, vf.sha256, vf.size, vf.mime, b.created_at AS at FROM version_files vf JOIN blobs b ON b.sha256 = vf.sha256
         WHERE vf.app_id = ? AND vf.version = ?`,
      )
      .all(app.id, app.v) as { path: string; sha256: string; size: number; mime: string; at: string }[];
    const files = new Map<string, SiteFile>();
    const policy = this.policies.get(slug);
    for (const r of rows) files.set(r.path, toSiteFile(r, policy?.(r.mime) ?? []));
    const spa = this.kernel.services.files.manifest(app.id, app.v).spa === true;
    return { appId: app.id, slug, version: app.v, spa, files, resolved: new Map() };
  }
}

function toSiteFile(r: { path: string; sha256: string; size: number; mime: string; at: string }, extra: string[]): SiteFile {
  const etag = `"${r.sha256.slice(0, 32)}"`;
  const ms = Math.floor(Date.parse(r.at) / 1000) * 1000;
  const lastModified = new Date(ms).toUTCString();
  const compressible = r.size >= MIN_COMPRESS && isCompressible(r.mime);
  const cacheControl = isHtml(r.mime) ? 'no-cache' : isHashedAsset(r.path) ? 'public, max-age=31536000, immutable' : 'no-cache';
  const head = ['content-type', r.mime, 'last-modified', lastModified, 'cache-control', cacheControl];
  if (advertisesRanges(r.mime, r.size)) head.push('accept-ranges', 'bytes');
  if (compressible) head.push('vary', 'accept-encoding');
  head.push(...extra);
  const notModifiedHead = ['etag', etag, ...head.slice(2)];
  return { path: r.path, sha256: r.sha256, size: r.size, mime: r.mime, compressible, etag, lastModified, lastModifiedMs: ms, head, notModifiedHead, ready: {} };
}

/**
 * Accept-Ranges goes where ranges are of use: media, archives and other binary
 * files (players seek, downloads resume) and large text. Small pages, styles and
 * scripts are fetched whole; they still answer a Range request, only without
 * spending the header on every response.
 */
function advertisesRanges(mime: string, size: number): boolean {
  return !isCompressible(mime) || size >= MIN_RANGES_TEXT;
}
