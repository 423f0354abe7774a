import { readSse } from '../../src/events/sse-client.js';

export interface SseReader {
  status: number;
  items: unknown[];
  /** Resolves with the first item (already received or future) matching `pred`. */
  waitFor<T = any>(pred: (item: any) => boolean, timeoutMs?: number): Promise<T>;
  close(): void;
  /** Error body when the stream was refused. */
  error?: any;
}

/** Opens an SSE endpoint with a bearer token and collects its `data:` items. */
export async function openSse(url: string, token: string): Promise<SseReader> {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: ac.signal });
  const items: unknown[] = [];
  const waiters: { pred: (i: unknown) => boolean; resolve: (i: unknown) => void }[] = [];
  const reader: SseReader = {
    status: res.status,
    items,
    waitFor(pred, timeoutMs = 10_000) {
      const found = items.find(pred);
      if (found !== undefined) return Promise.resolve(found as never);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no matching SSE item within ${timeoutMs} ms; got ${JSON.stringify(items)}`)), timeoutMs);
        waiters.push({ pred, resolve: (i) => (clearTimeout(t), resolve(i as never)) });
      });
    },
    close: () => ac.abort(),
  };
  if (res.status !== 200) {
    reader.error = await res.json();
    return reader;
  }
  void readSse(res, (d) => {
    items.push(d);
    for (const w of waiters.splice(0)) (w.pred(d) ? w.resolve(d) : waiters.push(w));
  }).catch(() => {});
  return reader;
}
