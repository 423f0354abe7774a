import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuditLog } from '../audit/audit-log.js';
import { TokenStore } from '../auth/tokens.js';
import { EventBus } from '../events/bus.js';
import { HaltQueue } from '../halt/halt-queue.js';
import { openDatabase, type DB } from '../store/db.js';
import { migrate } from '../store/migrations.js';
import { makeConfig, type Config } from './config.js';
import type { KernelModule } from './module.js';
import type { InvokeResult } from './ops/call.js';
import type { Caller, InvokeOptions } from './ops/define.js';
import { createPipeline } from './ops/pipeline.js';
import { Registry } from './ops/registry.js';
import { RateLimiter } from './rate-limiter.js';
import { RequestObservers } from './request-observer.js';
import type { Services } from './services.js';
import { Settings } from './settings.js';

/** What the HTTP server knows about a request before any handler sees it. */
export interface RouteInfo {
  /** The request target parsed against a placeholder origin (parsed on first use). */
  readonly url: URL;
  /** `url.pathname`, known without parsing the URL for plain paths. */
  readonly path: string;
  /** 'app' when the Host names an app (<slug>.<domain>), else 'kernel' (bare domain, IP, admin.*). */
  hostKind: 'app' | 'kernel';
  /** The app slug the host maps to: the named app, or 'root' / 'admin' on kernel hosts. */
  slug: string;
  readonly requestId: string;
}

/** An HTTP handler contributed by a module; returns true when it answered the request. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse, route: RouteInfo) => Promise<boolean> | boolean;

/** A handler with an optional cheap, synchronous test of whether it could want the request. */
export interface HttpRoute {
  handler: HttpHandler;
  accepts?: (route: RouteInfo) => boolean;
}

/**
 * The single core object (PocketBase's App): every surface reaches data and
 * operations only through it, so audit, events and halts apply whichever
 * surface made the change.
 */
export class Kernel {
  readonly config: Config;
  readonly db: DB;
  readonly registry = new Registry();
  readonly events = new EventBus();
  readonly settings: Settings;
  readonly tokens: TokenStore;
  readonly audit: AuditLog;
  readonly halts: HaltQueue;
  readonly services = {} as Services;
  readonly startedAt = Date.now();
  /** Settles once every module started (work that needs every listener's port waits for it). */
  readonly started: Promise<void>;
  private markStarted!: () => void;
  /** Every served request is reported here (access logs, pulse metrics subscribe). */
  readonly requests = new RequestObservers();
  /** Per-token call windows: the pipeline charges, surfaces may refuse early (HTTP 429). */
  readonly rateLimiter = new RateLimiter(() => this.config.rateLimitPerMinute);
  /** HTTP handlers by priority (lower first); the static file server is last. */
  private readonly httpHandlers: (HttpRoute & { priority: number; hostKind?: RouteInfo['hostKind'] })[] = [];
  private httpChains: Record<RouteInfo['hostKind'], HttpRoute[]> = { app: [], kernel: [] };
  private readonly capabilityResolvers = new Map<string, (value: string) => string>();
  private readonly invokeFn: ReturnType<typeof createPipeline>;
  private stopped = false;

  constructor(
    readonly modules: KernelModule[],
    config: Partial<Config> = {},
  ) {
    this.config = makeConfig(config);
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    this.db = openDatabase(this.config.dataDir);
    try {
      migrate(this.db, modules.map((m) => ({ name: m.name, migrations: m.migrations ?? [] })));
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.settings = new Settings(this.db);
    this.tokens = new TokenStore(this.db);
    this.audit = new AuditLog(this.db);
    this.halts = new HaltQueue(this);
    for (const m of modules) for (const op of m.ops ?? []) this.registry.add(op);
    this.invokeFn = createPipeline(this);
    for (const m of modules) m.init?.(this);
  }

  async start(): Promise<void> {
    for (const m of this.modules) await m.start?.(this);
    this.markStarted();
  }

  /** Runs an op through the one pipeline. Surfaces call only this. */
  invoke(caller: Caller, name: string, input: unknown, opts: InvokeOptions): Promise<InvokeResult> {
    return this.invokeFn(caller, name, input, { ...opts, requestId: opts.requestId ?? randomUUID() });
  }

  /** Runs an op and returns its output, throwing if it halted (for internal callers that must not halt). */
  async call<T = unknown>(caller: Caller, name: string, input: unknown, opts: InvokeOptions): Promise<T> {
    const r = await this.invoke(caller, name, input, opts);
    if (r.status !== 'ok') throw new Error(`${name} was halted: ${r.halt.reason}`);
    return r.output as T;
  }

  /**
   * Adds an HTTP handler. `accepts` lets the front door skip it without a call
   * (and without a promise) on requests it never wants, and `hostKind` keeps it
   * out of the other kind's chain altogether — static hits pass every route
   * above the file server.
   */
  useHttp(priority: number, handler: HttpHandler, accepts?: (route: RouteInfo) => boolean, hostKind?: RouteInfo['hostKind']): void {
    this.httpHandlers.push({ priority, handler, accepts, hostKind });
    this.httpHandlers.sort((a, b) => a.priority - b.priority);
    const chain = (kind: RouteInfo['hostKind']) =>
      this.httpHandlers.filter((h) => h.hostKind === undefined || h.hostKind === kind).map(({ handler, accepts }) => ({ handler, accepts }));
    this.httpChains = { app: chain('app'), kernel: chain('kernel') };
  }

  /** The routes in order for one kind of host (read on every request, so kept as ready arrays). */
  httpFor(hostKind: RouteInfo['hostKind']): readonly HttpRoute[] {
    return this.httpChains[hostKind];
  }

  /** Lets `{app}` in a capability template resolve an app slug to its id. */
  setCapabilityResolver(field: string, fn: (value: string) => string): void {
    this.capabilityResolvers.set(field, fn);
  }

  resolveCapabilityValue(field: string, value: unknown): string {
    const raw = value === undefined || value === null ? '' : String(value);
    const fn = this.capabilityResolvers.get(field);
    return fn ? fn(raw) : raw;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const m of [...this.modules].reverse()) {
      try {
        await m.stop?.(this);
      } catch (err) {
        process.emitWarning(`module ${m.name} failed to stop: ${(err as Error).message}`);
      }
    }
    this.audit.flush();
    this.db.close();
  }
}
