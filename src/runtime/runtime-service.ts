import type { AppRecord } from '../apps/apps-service.js';
import type { PendingDeploy } from '../apps/deploy-hooks.js';
import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import { hostCallsFor } from './host-calls.js';
import { headerUser, type UserResolver } from './http/user.js';
import { checkRegistrations, deliveredPatterns, patternAllowed, requestedPatterns } from './registrations/check.js';
import { registrationCapsFromConfig, type RegistrationCaps } from './registrations/caps.js';
import { EventGrants } from './registrations/event-grants.js';
import { RegistrationStore, type VersionRegistrations } from './registrations/store.js';
import { SandboxError } from './sandbox/errors.js';
import { limitsFromConfig, type ClampedLimit, type SandboxLimits } from './sandbox/limits.js';
import { AppLimits, clampedNotice } from './app-limits.js';
import { LocalSandboxes, type AppRunner, type SandboxHost } from './sandbox/runner.js';
import { looksLikeModule, type AppCode, type Invocation } from './sandbox/slot.js';
import { WorkerSandboxes } from './worker/worker-sandboxes.js';

export const MAIN_FILE = 'api/main.js';
const MAX_POOLS = 32;
/** Sandbox worker threads by default (`runtime.workers`; 0 runs app code in the main thread). */
const DEFAULT_WORKERS = 2;
/** Invocations one app may have waiting for a worker by default (`runtime.appQueue`). */
const DEFAULT_APP_QUEUE = 64;

/** A whole number from config extras, clamped; `fallback` when unset or not a number. */
function setting(extra: Record<string, string>, key: string, fallback: number, lo: number, hi: number): number {
  const raw = Number(extra[key] ?? fallback);
  return Number.isFinite(raw) ? Math.min(hi, Math.max(lo, Math.floor(raw))) : fallback;
}

/** Runs apps' api/main.js: requests, tool and resource handlers, event handlers. */
export class RuntimeService {
  readonly registrations: RegistrationStore;
  readonly eventGrants: EventGrants;
  readonly defaults: SandboxLimits;
  readonly limits: AppLimits;
  readonly caps: RegistrationCaps;
  /** How /api/* learns the signed-in user; app auth plugs in here. */
  userResolver: UserResolver = headerUser;
  readonly sandboxes: SandboxHost;
  private readonly pools = new Map<string, AppRunner | null>();
  private readonly subscriptions = new Map<string, (() => void)[]>();

  constructor(private readonly kernel: Kernel) {
    this.registrations = new RegistrationStore(kernel.db);
    this.eventGrants = new EventGrants(kernel.db);
    this.defaults = limitsFromConfig(kernel.config.extra);
    this.limits = new AppLimits(kernel.settings, this.defaults);
    this.caps = registrationCapsFromConfig(kernel.config.extra);
    const hostFor = (app: { id: string; slug: string }) => hostCallsFor(kernel, app);
    const extra = kernel.config.extra;
    const workers = setting(extra, 'runtime.workers', DEFAULT_WORKERS, 0, 16);
    // Extra workers start on demand while apps wait, up to twice the configured count by default.
    const maxWorkers = setting(extra, 'runtime.maxWorkers', Math.min(16, workers * 2), workers, 32);
    const appQueue = setting(extra, 'runtime.appQueue', DEFAULT_APP_QUEUE, 1, 10_000);
    this.sandboxes = workers > 0 ? new WorkerSandboxes({ workers, maxWorkers, appQueue }, hostFor) : new LocalSandboxes(hostFor);
  }

  /** Builds what a sandbox needs for an app version from its stored files. */
  private specFor(app: { id: string; slug: string; name: string }, code: string, manifest: Record<string, unknown>, clamped: ClampedLimit[] = []): AppCode {
    const env: Record<string, string> = {};
    const raw = manifest.env;
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      for (const [k, v] of Object.entries(raw)) if (['string', 'number', 'boolean'].includes(typeof v)) env[k] = String(v);
    }
    return { app: { id: app.id, slug: app.slug, name: app.name, env }, code, isModule: looksLikeModule(code), limits: this.limits.resolve(app.id, manifest, clamped) };
  }

  /** What runs an app's active version, or null when it has no api/main.js. */
  runnerFor(app: AppRecord): AppRunner | null {
    if (app.activeVersion === null) return null;
    const key = `${app.id}@${app.activeVersion}`;
    const hit = this.pools.get(key);
    if (hit !== undefined) return hit;
    const file = this.kernel.services.files.read(app.id, MAIN_FILE, app.activeVersion);
    const pool = file ? this.sandboxes.runner(key, this.specFor(app, file.data.toString('utf8'), this.kernel.services.files.manifest(app.id, app.activeVersion))) : null;
    this.pools.set(key, pool);
    this.evict();
    return pool;
  }

  private evict(): void {
    if (this.pools.size <= MAX_POOLS) return;
    const oldest = [...this.pools].sort((a, b) => (a[1]?.lastUsed ?? 0) - (b[1]?.lastUsed ?? 0))[0];
    oldest[1]?.dispose();
    this.pools.delete(oldest[0]);
  }

  /** Forgets an app's pools (new version live, rollback, delete). */
  drop(appId: string): void {
    for (const [key, pool] of this.pools) {
      if (key.startsWith(`${appId}@`)) {
        pool?.dispose();
        this.pools.delete(key);
      }
    }
  }

  /** Logs a failure of app code and emits system.app.error; other apps are untouched. */
  report(app: { id: string; slug: string }, requestId: string, err: SandboxError, what: string): void {
    // A full queue is load, not a failure of the app's code (the request's 503 is still counted).
    if (err.kind === 'busy') return;
    this.kernel.services.logs.write({
      appId: app.id,
      level: 'error',
      message: `${what}: ${err.message}`,
      fields: { kind: err.kind, ...(err.stack_ ? { stack: err.stack_ } : {}) },
      requestId,
    });
    this.kernel.events.emit({ type: 'system.app.error', source: 'system', data: { appId: app.id, slug: app.slug, requestId, kind: err.kind, message: err.message } });
  }

  private requirePool(app: AppRecord): AppRunner {
    const pool = this.runnerFor(app);
    if (!pool) throw new OpError('NOT_FOUND', `The app '${app.slug}' has no ${MAIN_FILE}, so it has no tools or resources.`, { app: app.slug });
    return pool;
  }

  /** Runs one tool handler; app errors become OpErrors the caller sees. */
  async callTool(app: AppRecord, tool: string, args: unknown, inv: Invocation): Promise<unknown> {
    const pool = this.requirePool(app);
    return this.guard(app, inv, `tool ${tool}`, async () => JSON.parse(await pool.tool(tool, JSON.stringify(args ?? {}), inv)));
  }

  async readResource(app: AppRecord, uriTemplate: string, uri: string, params: Record<string, string>, inv: Invocation): Promise<{ text: string; mimeType: string }> {
    const pool = this.requirePool(app);
    return this.guard(app, inv, `resource ${uri}`, async () => JSON.parse(await pool.resource(uriTemplate, uri, JSON.stringify(params), inv)));
  }

  private async guard<T>(app: AppRecord, inv: Invocation, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof SandboxError)) throw err;
      this.report(app, inv.requestId, err, `${what} failed`);
      if (err.kind === 'busy') throw new OpError('UNAVAILABLE', err.message, { kind: err.kind, retryAfter: err.retryAfter, requestId: inv.requestId });
      const code = err.kind === 'timeout' || err.kind === 'memory' ? 'UNAVAILABLE' : 'APP_ERROR';
      throw new OpError(code, `The app '${app.slug}' failed in ${what}: ${err.message}`, { kind: err.kind, requestId: inv.requestId });
    }
  }

  /**
   * Deploy hook: evaluates the new api/main.js in a sandbox, collects its
   * registrations and stores them with the version. Any failure throws, so the
   * deploy fails and the previous version keeps serving.
   */
  async beforeActivate(d: PendingDeploy): Promise<void> {
    const file = d.files.get(MAIN_FILE);
    if (!file) return this.registrations.save(d.app.id, d.version, { tools: [], resources: [], events: [] });
    const clamped: ClampedLimit[] = [];
    const spec = this.specFor(d.app, file.toString('utf8'), d.manifest, clamped);
    let regs: VersionRegistrations;
    try {
      const raw = await this.sandboxes.collect(spec);
      regs = checkRegistrations(raw, d.app.slug, d.manifest, this.caps);
    } catch (err) {
      if (err instanceof SandboxError) throw new OpError('BAD_INPUT', `${MAIN_FILE} failed to load: ${err.message}`, { file: MAIN_FILE, kind: err.kind });
      throw err;
    }
    this.registrations.save(d.app.id, d.version, regs);
    if (clamped.length) d.notices.push(clampedNotice(d.app.slug, clamped));
    const granted = this.eventGrants.list(d.app.id);
    for (const p of requestedPatterns(d.manifest).filter((x) => !granted.includes(x))) {
      d.notices.push(`manifest.json asks to receive '${p}' events, outside app:${d.app.slug}.*: they are not delivered until the owner allows it with: fazt apps events grant ${d.app.slug} --pattern '${p}'`);
    }
  }

  /** (Re)subscribes an app's `fazt.events.on` handlers for its active version. */
  subscribe(appId: string): void {
    for (const off of this.subscriptions.get(appId) ?? []) off();
    this.subscriptions.delete(appId);
    const app = this.kernel.services.apps.find(appId);
    if (!app || app.activeVersion === null) return;
    const regs = this.registrations.load(app.id, app.activeVersion);
    if (!regs.events.length) return;
    const allowed = deliveredPatterns(app.slug, this.kernel.services.files.manifest(app.id, app.activeVersion), this.eventGrants.list(app.id));
    const offs = regs.events
      .filter((s) => patternAllowed(s.pattern, allowed))
      .map((s) =>
        this.kernel.events.on(s.pattern, (e) => {
          // An app's own failures are not fed back to it: that could loop.
          if (e.type === 'system.app.error' && (e.data as { appId?: string } | null)?.appId === app.id) return;
          setImmediate(() => void this.deliver(app, s.index, e));
        }),
      );
    this.subscriptions.set(appId, offs);
  }

  private async deliver(app: AppRecord, index: number, event: unknown): Promise<void> {
    const inv: Invocation = { requestId: (event as { id: string }).id, userId: null };
    try {
      const fresh = this.kernel.services.apps.find(app.id);
      if (!fresh) return;
      const runner = this.runnerFor(fresh);
      if (!runner) return;
      await runner.event(index, JSON.stringify(event), inv);
    } catch (err) {
      if (err instanceof SandboxError && err.kind === 'busy') {
        this.kernel.services.logs.write({ appId: app.id, level: 'warn', message: `event ${inv.requestId} not delivered: ${err.message}`, requestId: inv.requestId });
      } else if (err instanceof SandboxError) this.report(app, inv.requestId, err, 'event handler failed');
    }
  }

  subscribeAll(): void {
    const rows = this.kernel.db.prepare('SELECT DISTINCT r.app_id AS id FROM app_registrations r JOIN apps a ON a.id = r.app_id AND a.active_version = r.version WHERE r.kind = ?').all('event') as { id: string }[];
    for (const r of rows) this.subscribe(r.id);
  }

  stop(): void {
    for (const offs of this.subscriptions.values()) for (const off of offs) off();
    this.subscriptions.clear();
    for (const pool of this.pools.values()) pool?.dispose();
    this.pools.clear();
    this.sandboxes.stop();
  }
}
