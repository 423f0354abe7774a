import type { SessionLimits } from './session-limits.js';

/** Whose a session is, for the caps: see SessionLimits. */
export interface SessionOwner {
  /** Target key: `kernel`, `app:<id>`, `fixture`. */
  endpoint: string;
  /** `token:<id>` or `ip:<address>`. */
  caller: string;
  /** The owner key: its sessions live in their own reserve. */
  owner: boolean;
  /** No token: counted in the endpoint's public pool. */
  public: boolean;
}

export interface TableEntry {
  id: string;
  who: SessionOwner;
  /** Last time a request of this session started or ended. */
  lastSeen: number;
  /** Requests (and open streams) of this session in flight: a session in use is never idle. */
  active: number;
  close(): unknown;
}

export type Admission = { ok: true } | { ok: false; status: 429 | 503; retryAfter: number; message: string };

/** Seconds to suggest in Retry-After when nothing is sure to free up sooner. */
const BUSY_RETRY_S = 5;

/**
 * The live sessions and the caps on them. A caller at its cap loses its own
 * least recently used idle session to the new one (never anyone else's); if
 * all of its sessions are busy it gets 429. A full shared or public pool
 * gets 503 until an idle session expires. The owner's sessions are counted
 * apart, so other callers can neither fill nor evict them.
 */
export class SessionTable<S extends TableEntry> {
  private readonly map = new Map<string, S>();

  constructor(
    readonly limits: SessionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(id: string): S | undefined {
    return this.map.get(id);
  }

  values(): IterableIterator<S> {
    return this.map.values();
  }

  /** Makes room for one more session of `who` (closing its own oldest idle one if need be), or says why not. */
  admit(who: SessionOwner): Admission {
    const l = this.limits;
    let mine = 0;
    let pool = 0;
    let publicHere = 0;
    let lru: S | undefined;
    for (const s of this.map.values()) {
      const same = who.owner ? s.who.owner : !s.who.owner && s.who.caller === who.caller;
      if (same) {
        mine++;
        if (s.active === 0 && (!lru || s.lastSeen < lru.lastSeen)) lru = s;
      }
      if (!s.who.owner) pool++;
      if (s.who.public && s.who.endpoint === who.endpoint) publicHere++;
    }
    const cap = who.owner ? l.owner : l.perCaller;
    if (mine >= cap) {
      if (!lru) return { ok: false, status: 429, retryAfter: BUSY_RETRY_S, message: `Too many MCP sessions for this caller: all ${cap} are in use. End one (DELETE with its Mcp-Session-Id) or retry in ${BUSY_RETRY_S}s.` };
      this.evict(lru);
      return { ok: true };
    }
    if (who.owner) return { ok: true };
    if (who.public && publicHere >= l.publicPerEndpoint) return this.full(`This endpoint's ${l.publicPerEndpoint} sessions for callers without a token are all taken`, (s) => s.who.public && s.who.endpoint === who.endpoint);
    if (pool >= l.max) return this.full(`The server's ${l.max} MCP sessions are all taken`, (s) => !s.who.owner);
    return { ok: true };
  }

  add(s: S): void {
    this.map.set(s.id, s);
  }

  delete(id: string): void {
    this.map.delete(id);
  }

  /** A request of `s` starts; call the returned function when it ends. */
  begin(s: S): () => void {
    s.active++;
    s.lastSeen = this.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      s.active--;
      s.lastSeen = this.now();
    };
  }

  /** Closes every session idle since before `now - idleMs`; returns how many. */
  sweep(now = this.now()): number {
    const cutoff = now - this.limits.idleMs;
    let n = 0;
    for (const s of [...this.map.values()]) {
      if (s.active === 0 && s.lastSeen < cutoff) {
        this.evict(s);
        n++;
      }
    }
    return n;
  }

  private evict(s: S): void {
    // Out of the table first: the slot is free now, whatever the transport's close does.
    this.map.delete(s.id);
    try {
      void Promise.resolve(s.close()).catch(() => {});
    } catch {
      // A transport that fails to close is gone from the table all the same.
    }
  }

  private full(what: string, inPool: (s: S) => boolean): Admission {
    let oldest = Infinity;
    for (const s of this.map.values()) if (inPool(s) && s.active === 0) oldest = Math.min(oldest, s.lastSeen);
    const wait = oldest === Infinity ? BUSY_RETRY_S : Math.max(1, Math.ceil((oldest + this.limits.idleMs - this.now()) / 1000));
    return { ok: false, status: 503, retryAfter: wait, message: `${what}; retry in ${wait}s.` };
  }
}
