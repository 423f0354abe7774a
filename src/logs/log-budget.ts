import type { LogInput } from './api.js';

export interface LogBudgetLimits {
  /** Lines one request (tool call, event delivery) may write; the rest are counted and summed up. */
  linesPerRequest: number;
  /** Bytes one app may write per window; past that its lines are dropped until the window ends. */
  appBytesPerWindow: number;
  windowMs: number;
}

export const DEFAULT_BUDGET: LogBudgetLimits = { linesPerRequest: 100, appBytesPerWindow: 1024 * 1024, windowMs: 60_000 };

/** A request that has not written for this long is taken as finished (tool calls and events report no end). */
const QUIET_MS = 30_000;
const SWEEP_EVERY_MS = 10_000;

interface RequestUse {
  appId: string;
  requestId: string;
  lines: number;
  dropped: number;
  last: number;
}

interface AppWindow {
  start: number;
  bytes: number;
  noticed: boolean;
}

/**
 * How much app code may log. Every line costs disk in data.db, so a request
 * keeps its first lines and an app a number of bytes per minute; what is
 * dropped is counted per app (pulse reports it) and said in one line, so a
 * person reading the logs knows something is missing.
 */
export class LogBudget {
  /** Lines dropped per app id since the server started. */
  readonly dropped = new Map<string, number>();
  private readonly requests = new Map<string, RequestUse>();
  private readonly apps = new Map<string, AppWindow>();
  private lastSweep = 0;

  constructor(readonly limits: LogBudgetLimits = DEFAULT_BUDGET) {}

  /** The lines to write for `entry` (of `bytes` bytes): itself, nothing, or notes about what was dropped. */
  admit(entry: LogInput, bytes: number, now: number): LogInput[] {
    const out = now - this.lastSweep >= SWEEP_EVERY_MS ? this.sweep(now) : [];
    const { appId } = entry;
    let req: RequestUse | undefined;
    if (entry.requestId) {
      const key = `${appId}\u0000${entry.requestId}`;
      req = this.requests.get(key);
      if (!req) this.requests.set(key, (req = { appId, requestId: entry.requestId, lines: 0, dropped: 0, last: now }));
      req.last = now;
      if (req.lines >= this.limits.linesPerRequest) {
        req.dropped++;
        this.count(appId);
        return out;
      }
    }
    let win = this.apps.get(appId);
    if (!win || now - win.start >= this.limits.windowMs) this.apps.set(appId, (win = { start: now, bytes: 0, noticed: false }));
    if (win.bytes + bytes > this.limits.appBytesPerWindow) {
      this.count(appId);
      if (!win.noticed) {
        win.noticed = true;
        const until = new Date(win.start + this.limits.windowMs).toISOString();
        out.push({ appId, level: 'warn', message: `This app wrote more than ${this.limits.appBytesPerWindow} bytes of logs per minute: its log lines are dropped until ${until} (pulse counts them).`, requestId: entry.requestId });
      }
      return out;
    }
    win.bytes += bytes;
    if (req) req.lines++;
    out.push(entry);
    return out;
  }

  /** A request ended: one line saying how many of its lines were dropped, if any. */
  end(appId: string, requestId: string): LogInput[] {
    const key = `${appId}\u0000${requestId}`;
    const req = this.requests.get(key);
    if (!req) return [];
    this.requests.delete(key);
    return req.dropped ? [this.summary(req)] : [];
  }

  private sweep(now: number): LogInput[] {
    this.lastSweep = now;
    const out: LogInput[] = [];
    for (const [key, req] of this.requests) {
      if (now - req.last < QUIET_MS) continue;
      this.requests.delete(key);
      if (req.dropped) out.push(this.summary(req));
    }
    for (const [appId, win] of this.apps) if (now - win.start >= this.limits.windowMs) this.apps.delete(appId);
    return out;
  }

  private summary(req: RequestUse): LogInput {
    const n = req.dropped;
    return {
      appId: req.appId,
      level: 'warn',
      message: `${n} more log ${n === 1 ? 'line' : 'lines'} of this request ${n === 1 ? 'was' : 'were'} dropped (at most ${this.limits.linesPerRequest} per request).`,
      requestId: req.requestId,
    };
  }

  private count(appId: string): void {
    this.dropped.set(appId, (this.dropped.get(appId) ?? 0) + 1);
  }
}
