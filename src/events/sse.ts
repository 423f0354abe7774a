import { OpError } from '../kernel/ops/errors.js';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** A slow reader is cut off rather than buffered without bound. */
const MAX_BUFFERED = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

const open = new Set<SseStream>();
let watchdog: NodeJS.Timeout | null = null;

/**
 * Server-sent events over one response: `data:` lines, comment heartbeats, and
 * cleanup on disconnect. Streams end by themselves when their server stops
 * listening, so shutdown does not wait for followers.
 */
export class SseStream {
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly onClose: (() => void)[] = [];
  private readonly server: Server | undefined;

  constructor(
    req: IncomingMessage,
    private readonly res: ServerResponse,
    heartbeatMs = HEARTBEAT_MS,
  ) {
    this.server = (req.socket as unknown as { server?: Server }).server;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // The socket is not reused after a stream: ending it (shutdown included) frees it at once.
      connection: 'close',
      'x-accel-buffering': 'no',
    });
    res.write(': stream open\n\n');
    this.heartbeat = setInterval(() => this.comment('ping'), heartbeatMs);
    this.heartbeat.unref();
    res.on('close', () => this.close());
    open.add(this);
    startWatchdog();
    // The client may have gone while the stream was being authorized.
    if (res.destroyed || req.socket.destroyed) this.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Registers cleanup (unsubscribe) run once when the stream ends for any reason. */
  whenClosed(fn: () => void): void {
    if (this.closed) fn();
    else this.onClose.push(fn);
  }

  send(data: unknown, opts: { event?: string; id?: string | number } = {}): void {
    if (this.closed) return;
    let frame = '';
    if (opts.event) frame += `event: ${opts.event}\n`;
    if (opts.id !== undefined) frame += `id: ${opts.id}\n`;
    frame += `data: ${JSON.stringify(data)}\n\n`;
    this.write(frame);
  }

  comment(text: string): void {
    if (!this.closed) this.write(`: ${text}\n\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    open.delete(this);
    for (const fn of this.onClose.splice(0)) {
      try {
        fn();
      } catch {
        /* cleanup must not throw into the socket's close handler */
      }
    }
    if (!this.res.writableEnded) this.res.end();
  }

  /** True when the server this stream belongs to has begun shutting down. */
  serverStopped(): boolean {
    return !!this.server && this.server.listening === false;
  }

  private write(frame: string): void {
    if (this.res.writableLength > MAX_BUFFERED) return this.close();
    this.res.write(frame);
  }
}

function startWatchdog(): void {
  if (watchdog) return;
  watchdog = setInterval(() => {
    for (const s of open) if (s.serverStopped()) (s.comment('server stopping'), s.close());
    if (!open.size && watchdog) (clearInterval(watchdog), (watchdog = null));
  }, 250);
  watchdog.unref();
}

/** Query parameters as the strings/arrays `coerceStrings` expects. */
export function queryParams(url: URL, omit: string[] = []): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    if (omit.includes(key)) continue;
    const all = url.searchParams.getAll(key);
    q[key] = all.length > 1 ? all : all[0];
  }
  return q;
}

/** Refuses query parameters a stream does not know, naming the ones it takes (a typo would otherwise widen the stream). */
export function onlyParams(url: URL, allowed: string[]): void {
  const unknown = [...new Set(url.searchParams.keys())].filter((k) => !allowed.includes(k));
  if (unknown.length) {
    throw new OpError('BAD_INPUT', `Unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k.slice(0, 40)}'`).join(', ')}; this stream takes: ${allowed.join(', ')}.`);
  }
}
