/** One served HTTP request, as seen by the static server, the app runtime or MCP. */
export interface ObservedRequest {
  appId: string | null;
  slug: string;
  kind: 'static' | 'api' | 'mcp' | 'kernel';
  method: string;
  path: string;
  status: number;
  durationMs: number;
  bytes: number;
  requestId: string;
}

export type RequestObserver = (r: ObservedRequest) => void;

/**
 * Fan-out for request facts (access logs, pulse metrics). Observers must be
 * cheap: this runs on the hot path of every request.
 */
export class RequestObservers {
  private list: RequestObserver[] = [];

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

  get count(): number {
    return this.list.length;
  }
}
