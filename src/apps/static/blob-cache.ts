/** One file content in memory, with its compressed forms once computed (null: no gain). */
export interface CachedBlob {
  data: Buffer;
  br?: Buffer | null;
  gzip?: Buffer | null;
  bytes: number;
}

/**
 * Hot file contents by sha256, least recently used out first, bounded in bytes.
 * Content-addressed, so an entry can never be stale; deploys only drop what no
 * longer needs to be hot.
 */
export class BlobCache {
  private readonly map = new Map<string, CachedBlob>();
  private used = 0;
  /** The most recently used key: touching it again leaves the order as it is. */
  private newest: string | undefined;

  constructor(private readonly maxBytes: number) {}

  /** Contents bigger than this are read from the database every time. */
  get maxEntryBytes(): number {
    return Math.floor(this.maxBytes / 8);
  }

  get(sha: string): CachedBlob | undefined {
    const e = this.map.get(sha);
    if (e !== undefined && sha !== this.newest) {
      this.map.delete(sha);
      this.map.set(sha, e);
      this.newest = sha;
    }
    return e;
  }

  put(sha: string, data: Buffer): CachedBlob {
    const e: CachedBlob = { data, bytes: data.length };
    if (data.length > this.maxEntryBytes) return e;
    this.delete(sha);
    this.map.set(sha, e);
    this.newest = sha;
    this.used += e.bytes;
    this.evict();
    return e;
  }

  /** Records a compressed form on an entry (it may have been evicted meanwhile). */
  addVariant(sha: string, e: CachedBlob, enc: 'br' | 'gzip', data: Buffer | null): void {
    e[enc] = data;
    if (!data || this.map.get(sha) !== e) return;
    e.bytes += data.length;
    this.used += data.length;
    this.evict();
  }

  delete(sha: string): void {
    const e = this.map.get(sha);
    if (!e) return;
    if (sha === this.newest) this.newest = undefined;
    this.map.delete(sha);
    this.used -= e.bytes;
  }

  clear(): void {
    this.map.clear();
    this.newest = undefined;
    this.used = 0;
  }

  private evict(): void {
    while (this.used > this.maxBytes && this.map.size) {
      const oldest = this.map.keys().next().value as string;
      this.delete(oldest);
    }
  }

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.used;
  }
}
