/** One served HTTP request, as seen by the static server, the app runtime or MCP. */
export interface ObservedRequest {
  appId: string | null;
  slug: string;
  kind: 'static' | 'api' | 'mcp' | 'kernel';
  method: string;
  path: string;
  status: number;
  /** With `count`, the mean of those requests. */
  durationMs: number;
  /** Bytes of the body sent; with `count`, of each request. */
  bytes: number;
  /** Empty when `count` stands for several requests. */
  requestId: string;
  /** How many identical requests this observation stands for (hot static hits are counted, not reported one by one); 1 when absent. */
  count?: number;
}

export type RequestObserver = (r: ObservedRequest) => void;

/**
 * Fan-out for request facts (access logs, pulse metrics). Observers must be
 * cheap: this runs on the hot path of every request. Producers that hold
 * observations back (counted static hits) register a source; readers call
 * flush() before they read, so they see every request answered so far.
 */
export class RequestObservers {
  private list: RequestObserver[] = [];
  private sources: (() => void)[] = [];

  add(fn: RequestObserver): () => void {
    this.list.push(fn);
    return () => (this.list = this.list.filter((f) => f !== fn));
  }

  emit(r: ObservedRequest): void {
    for (const fn of this.list) {
      try {
        fn(r);
      } catch {
        /* an observer must never fail a request */
      }
    }
  }

  /** Registers a producer's flush, run by flush(). */
  addSource(flush: () => void): void {
    this.sources.push(flush);
  }

  /** Makes every producer hand over what it holds back. */
  flush(): void {
    for (const f of this.sources) f();
  }

  get count(): number {
    return this.list.length;
  }
}
