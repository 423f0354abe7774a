import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten';
import type { Engine } from './engine.js';
import { DESCRIBE_THROWN, MAX_ERROR_CHARS, type Described } from './describe-thrown.js';
import { classifyThrown, SandboxError } from './errors.js';
import { LOCKDOWN } from './lockdown.js';
import { wrapClassic, wrapModule } from './module-wrap.js';
import { PRELUDE } from './prelude.js';
import { HostBytes, type AppCode, type EncodedResponse, type HostCall, type Invocation, type Registrations, type ReleaseSlot } from './types.js';

export { HostBytes, looksLikeModule } from './types.js';
export type { AppCode, EncodedResponse, HostCall, Invocation, Registrations, ReleaseSlot } from './types.js';

const FILE = 'api/main.js';
const EMPTY_REQUEST = JSON.stringify({ id: null, method: '', path: '', query: {}, headers: {}, body: null, files: [] });
const INIT: Invocation = { requestId: 'init', userId: null };
/** Time the global reset after an invocation may take; it is bounded like app code. */
const RESET_MS = 1_000;
/** Time fazt's own prelude and lockdown may take while a context is built: a loaded host is not the app's fault. */
const BOOT_MS = 5_000;
/** Invocations a context serves before it is replaced: bounds what garbage and caches can accumulate in its heap. */
const MAX_USES = 1_000;
/** Timers one invocation may have pending: each costs host memory, which the heap limit does not count. */
export const MAX_TIMERS = 10_000;
/** Host calls one invocation may have in flight (fazt.ai.*): each holds a request to a provider. */
export const MAX_ASYNC = 16;

/** How an asynchronous host call ended, as the prelude's settleAsync reads it. */
interface AsyncDone {
  id: number;
  ok: boolean;
  json: string;
}

/**
 * One QuickJS runtime + context for one app version. Booting it evaluates the
 * prelude, freezes everything reachable from the global object (lockdown.ts)
 * and compiles api/main.js once, as a function whose every call is a fresh run
 * of the app's top level (module-wrap.ts). An invocation calls that function,
 * so module variables, handlers and registrations are new each time; after it,
 * the global object is put back as it was. What else could carry state from
 * one invocation to the next is frozen or unavailable, so a context can be
 * reused without leaking. Any doubt (a limit hit, a global that cannot be
 * restored, jobs left queued) and the slot is freed instead of reused.
 *
 * Code that cannot be wrapped (it imports, the scanner is unsure, or the
 * compiled function does not span the whole wrapped text) runs as a real ES
 * module in a fresh context used once. Each slot has its own runtime,
 * so the heap limit, the stack limit and the deadline are per invocation.
 */
export class Slot {
  private rt!: QuickJSRuntime;
  private ctx!: QuickJSContext;
  private api!: QuickJSHandle;
  private describe?: QuickJSHandle;
  /** A limit enforced by the host (not by QuickJS) that this invocation hit: it is what the failure reports. */
  private limitHit: SandboxError | null = null;
  private deadline = 0;
  private timedOut = false;
  private timers: { id: number; due: number }[] = [];
  /** Asynchronous host calls of this invocation still running on the host (fazt.ai.*). */
  private asyncOps = new Map<number, Promise<AsyncDone>>();
  private inv: Invocation = INIT;
  private busy = false;
  private used = false;
  private uses = 0;
  private disposed = false;
  /** True when api/main.js is compiled as a function and the slot can serve many invocations. */
  reusable = false;
  registrations: Registrations | null = null;

  private constructor(
    readonly engine: Engine,
    private readonly spec: AppCode,
    private readonly host: HostCall,
    private readonly release?: ReleaseSlot<Slot>,
  ) {}

  /** Builds a warm slot: runtime, limits, prelude, lockdown and the app's code compiled (evaluated, for a module used once). */
  static async create(engine: Engine, spec: AppCode, host: HostCall, release?: ReleaseSlot<Slot>): Promise<Slot> {
    const slot = new Slot(engine, spec, host, release);
    try {
      await slot.boot();
    } catch (err) {
      slot.dispose();
      throw err;
    }
    return slot;
  }

  private async boot(): Promise<void> {
    this.prepare();
    const { code, isModule } = this.spec;
    // Syntax errors (and imports) are reported against the app's own text. Modules are not compiled
    // alone: quickjs-emscripten's compile-only module path returns an unset pointer's namespace (and
    // may write through it); a module is compiled for real below, and a syntax error surfaces there.
    if (!isModule) this.unwrap(this.ctx.evalCode(code, FILE, { type: 'global', compileOnly: true })).dispose();
    const src = isModule ? wrapModule(code) : wrapClassic(code);
    if (src !== null && (await this.compileMain(src))) {
      this.reusable = true;
      return;
    }
    if (src !== null) {
      // The wrapper did not hold (or did not compile): what ran while trying must not be seen by the app.
      this.freeContext();
      this.prepare();
    }
    if (isModule) {
      const ns = await this.settle(this.unwrap(this.ctx.evalCode(code, FILE, { type: 'module' })));
      this.callApi('setModule', ns).dispose();
      this.registrations = this.seal();
    }
  }

  /** A fresh runtime and context with the prelude, lockdown and snapshot of the globals. */
  private prepare(): void {
    const { limits } = this.spec;
    const rt = (this.rt = this.engine.module.newRuntime());
    rt.setMemoryLimit(limits.memoryMb * 1024 * 1024);
    rt.setMaxStackSize(limits.stackKb * 1024);
    rt.setInterruptHandler(() => {
      if (Date.now() <= this.deadline) return false;
      this.timedOut = true;
      return true;
    });
    rt.setModuleLoader((name) => {
      throw new Error(`import is not available in fazt apps: '${name}' cannot be loaded; use fazt.* instead`);
    });
    const ctx = (this.ctx = rt.newContext());
    this.deadline = Date.now() + Math.max(BOOT_MS, limits.timeoutMs);
    this.describe = this.unwrap(ctx.evalCode(DESCRIBE_THROWN, 'fazt:describe'));
    const hostFn = ctx.newFunction('host', (nameH, argsH, bytesH) => this.hostCall(nameH, argsH, bytesH));
    const init = this.json({ app: this.spec.app });
    const factory = this.unwrap(ctx.evalCode(PRELUDE, 'fazt:prelude'));
    try {
      this.api = this.unwrap(ctx.callFunction(factory, ctx.undefined, hostFn, init));
    } finally {
      factory.dispose();
      hostFn.dispose();
      init.dispose();
    }
    const lockdown = this.unwrap(ctx.evalCode(LOCKDOWN, 'fazt:lockdown'));
    try {
      this.unwrap(ctx.callFunction(lockdown, ctx.undefined, ctx.global)).dispose();
    } finally {
      lockdown.dispose();
    }
    this.callApi('snapshot').dispose();
    // From here on the app's own code is compiled (and a module that does not wrap is run): its time limit applies.
    this.deadline = Date.now() + limits.timeoutMs;
  }

  /**
   * Compiles the wrapped code with the grammar the app was checked with — a
   * module as a real module, where `<!--` and `-->` are not comments — and keeps
   * it only if the compiled function's own source is the whole wrapped text:
   * then nothing of the app's code can have landed outside the function.
   */
  private async compileMain(src: string): Promise<boolean> {
    const ctx = this.ctx;
    const { isModule } = this.spec;
    let fn: QuickJSHandle;
    try {
      if (isModule) {
        const ns = await this.settle(this.unwrap(ctx.evalCode(`export default ${src}`, FILE, { type: 'module' })));
        fn = ctx.getProp(ns, 'default');
        ns.dispose();
      } else {
        fn = this.unwrap(ctx.evalCode(`(${src})`, FILE));
      }
    } catch (err) {
      if (err instanceof SandboxError && err.kind !== 'error') throw err;
      return false;
    }
    return this.apiBool('setMain', fn, isModule ? ctx.true : ctx.false, ctx.newString(src));
  }

  /**
   * Runs the app's top level: a module's fresh instance, or a classic script with its request.
   * What it registered is read back only when asked (the deploy-time check).
   */
  private async runTop(requestJson: string | null, collect = false): Promise<void> {
    if (this.spec.isModule) {
      if (!this.reusable) return;
      const ns = await this.settle(this.callApi('runMain'));
      this.callApi('setModule', ns).dispose();
      if (collect) this.registrations = this.seal();
      return;
    }
    // Outside a request (deploy check, tool call, event) a classic script still runs its top
    // level to register handlers: it sees an empty `request` and its respond() goes nowhere;
    // what its request-handling code throws then is irrelevant (syntax and limits still fail).
    this.callApi('setRequest', this.ctx.newString(requestJson ?? EMPTY_REQUEST)).dispose();
    try {
      if (this.reusable) this.callApi('runMain').dispose();
      else this.unwrap(this.ctx.evalCode(this.spec.code, FILE, { type: 'global' })).dispose();
      await this.drain(() => this.apiBool('hasResponse'));
    } catch (err) {
      if (requestJson !== null || !(err instanceof SandboxError) || err.kind !== 'error') throw err;
    }
    if (collect || !this.reusable) this.registrations = this.seal();
    else this.callApi('setModule', this.ctx.null).dispose();
  }

  /** Serves one HTTP request. */
  async request(requestJson: string, inv: Invocation): Promise<EncodedResponse> {
    return this.once(inv, async () => {
      let out: QuickJSHandle;
      if (this.spec.isModule) {
        out = await this.settle(this.callApi(this.reusable ? 'serve' : 'request', this.ctx.newString(requestJson)));
      } else {
        await this.runTop(requestJson);
        out = this.callApi('classicResponse');
      }
      try {
        return this.decodeResponse(out);
      } finally {
        out.dispose();
      }
    });
  }

  /** Calls a registered tool handler; returns its result as JSON text. */
  tool(name: string, argsJson: string, inv: Invocation): Promise<string> {
    return this.once(inv, () => this.callForString('tool', [name, argsJson]));
  }

  /** Reads a registered resource; returns `{text, mimeType}` as JSON text. */
  resource(uriTemplate: string, uri: string, paramsJson: string, inv: Invocation): Promise<string> {
    return this.once(inv, () => this.callForString('resource', [uriTemplate, uri, paramsJson]));
  }

  /** Runs the event handler registered at `index` (order of fazt.events.on calls). */
  async event(index: number, eventJson: string, inv: Invocation): Promise<void> {
    await this.once(inv, () => this.callForString('event', [index, eventJson]));
  }

  /** Evaluates the code (classic scripts too) and returns what it registered: the deploy-time check. */
  async collect(): Promise<Registrations> {
    return this.once(INIT, async () => {
      await this.runTop(null, true);
      return this.registrations!;
    });
  }

  private async callForString(method: string, args: (string | number)[]): Promise<string> {
    await this.runTop(null);
    const handles = args.map((a) => (typeof a === 'number' ? this.ctx.newNumber(a) : this.ctx.newString(a)));
    const v = await this.settle(this.callApi(method, ...handles));
    try {
      const s = this.ctx.getString(v);
      if (Buffer.byteLength(s) > this.spec.limits.maxOutputBytes) throw this.outputError();
      return s;
    } finally {
      v.dispose();
    }
  }

  private async once<T>(inv: Invocation, fn: () => Promise<T>): Promise<T> {
    if (this.disposed || this.busy || (this.used && !this.reusable)) throw new Error('this sandbox slot cannot serve another invocation');
    this.busy = true;
    this.used = true;
    this.uses++;
    this.inv = inv;
    this.deadline = Date.now() + this.spec.limits.timeoutMs;
    this.timedOut = false;
    this.timers = [];
    this.asyncOps = new Map();
    this.limitHit = null;
    let clean = false;
    try {
      if (this.reusable) this.callApi('begin').dispose();
      const out = await fn();
      clean = true;
      return out;
    } catch (err) {
      // An exception of the app's own code leaves the context sound; a limit hit may not.
      clean = err instanceof SandboxError && (err.kind === 'error' || err.kind === 'output');
      throw err;
    } finally {
      this.busy = false;
      this.finish(clean);
    }
  }

  /** After an invocation: back to the pool if the context is provably clean, else freed. */
  private finish(clean: boolean): void {
    if (!this.reusable || !this.release || this.disposed) return this.dispose();
    let ok = clean && this.uses < MAX_USES && !this.engine.poisoned && !this.rt.hasPendingJob() && !this.asyncOps.size;
    if (ok) {
      this.deadline = Date.now() + RESET_MS;
      try {
        ok = this.apiBool('reset');
      } catch {
        ok = false;
      }
    }
    if (ok) this.release(this);
    else this.dispose();
  }

  private decodeResponse(out: QuickJSHandle): EncodedResponse {
    const ctx = this.ctx;
    const metaH = ctx.getProp(out, 0);
    const payloadH = ctx.getProp(out, 1);
    try {
      const meta = JSON.parse(ctx.getString(metaH)) as Omit<EncodedResponse, 'body'>;
      let body: Buffer;
      if (meta.type === 'bytes') {
        const ab = ctx.getArrayBuffer(payloadH);
        body = Buffer.from(ab.value);
        ab.dispose();
      } else {
        body = Buffer.from(ctx.getString(payloadH), 'utf8');
      }
      if (body.length > this.spec.limits.maxOutputBytes) throw this.outputError();
      return { ...meta, body };
    } finally {
      metaH.dispose();
      payloadH.dispose();
    }
  }

  private outputError(): SandboxError {
    return new SandboxError('output', `The app's response is larger than the output limit of ${this.spec.limits.maxOutputBytes} bytes.`);
  }

  private seal(): Registrations {
    const h = this.callApi('seal');
    try {
      return JSON.parse(this.ctx.getString(h)) as Registrations;
    } finally {
      h.dispose();
    }
  }

  private apiBool(method: string, ...args: QuickJSHandle[]): boolean {
    const h = this.callApi(method, ...args);
    try {
      return this.ctx.dump(h) === true;
    } finally {
      h.dispose();
    }
  }

  private callApi(method: string, ...args: QuickJSHandle[]): QuickJSHandle {
    const fn = this.ctx.getProp(this.api, method);
    try {
      return this.unwrap(this.ctx.callFunction(fn, this.api, ...args));
    } finally {
      fn.dispose();
      for (const a of args) if (a.alive && a !== this.ctx.null && a !== this.ctx.undefined) a.dispose();
    }
  }

  /** Runs promise jobs and due timers until `promise` settles; the deadline bounds it all. */
  private async settle(promise: QuickJSHandle): Promise<QuickJSHandle> {
    await this.drain(() => {
      const st = this.ctx.getPromiseState(promise);
      if (st.type === 'fulfilled' && !st.notAPromise) st.value.dispose();
      if (st.type === 'rejected') st.error.dispose();
      return st.type !== 'pending';
    }, promise);
    const st = this.ctx.getPromiseState(promise);
    if (st.type === 'fulfilled') {
      if (st.notAPromise) return promise;
      promise.dispose();
      return st.value;
    }
    promise.dispose();
    if (st.type === 'rejected') throw this.thrown(st.error);
    throw new SandboxError('unsettled', 'The handler returned a promise that never settled: nothing was left to wait for.');
  }

  private async drain(done: () => boolean, owned?: QuickJSHandle): Promise<void> {
    for (;;) {
      const r = this.rt.executePendingJobs();
      if (r.error) {
        owned?.dispose();
        throw this.thrown(r.error);
      }
      if (done()) return;
      if (!this.timers.length && !this.asyncOps.size) return;
      this.timers.sort((a, b) => a.due - b.due);
      const next = this.timers[0];
      if (!this.asyncOps.size && next.due > this.deadline) {
        owned?.dispose();
        throw new SandboxError('timeout', `A timer would fire after the app's time limit of ${this.spec.limits.timeoutMs} ms.`);
      }
      // Wait for whichever comes first: a host call's answer, the next timer, or the deadline.
      const until = Math.min(next?.due ?? Infinity, this.deadline);
      const settled = await this.nextAsync(until - Date.now());
      try {
        if (settled) {
          this.asyncOps.delete(settled.id);
          this.callApi('settleAsync', this.ctx.newNumber(settled.id), settled.ok ? this.ctx.true : this.ctx.false, this.ctx.newString(settled.json)).dispose();
        } else if (next && next.due <= Date.now() && next.due <= this.deadline) {
          this.timers.shift();
          this.callApi('fireTimer', this.ctx.newNumber(next.id)).dispose();
        } else if (Date.now() > this.deadline) {
          throw new SandboxError('timeout', `The app waited past its time limit of ${this.spec.limits.timeoutMs} ms for ${this.asyncOps.size ? 'a fazt.ai answer' : 'a timer'}.`);
        }
      } catch (err) {
        owned?.dispose();
        throw err;
      }
    }
  }

  /** The first asynchronous host call to finish within `ms`, or null when none did. */
  private async nextAsync(ms: number): Promise<AsyncDone | null> {
    if (!this.asyncOps.size) {
      if (ms > 0) await new Promise((r) => setTimeout(r, ms));
      return null;
    }
    let timer: NodeJS.Timeout | undefined;
    const expire = new Promise<null>((r) => (timer = setTimeout(() => r(null), Math.max(0, ms))));
    try {
      return await Promise.race([...this.asyncOps.values(), expire]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Starts a host call whose answer comes later (fazt.ai.*); the promise in the sandbox settles from drain(). */
  private startAsync(args: unknown[]): void {
    const [id, name, callArgs] = args as [number, string, unknown[]];
    if (this.asyncOps.size >= MAX_ASYNC) {
      throw new RangeError(`too many fazt calls in flight: the limit is ${MAX_ASYNC} per invocation`);
    }
    const inv = { ...this.inv, deadline: this.deadline };
    const op = Promise.resolve()
      .then(() => this.host(String(name), Array.isArray(callArgs) ? callArgs : [], undefined, inv))
      .then(
        (v): AsyncDone => ({ id, ok: true, json: JSON.stringify(v ?? null) }),
        (e: unknown): AsyncDone => ({ id, ok: false, json: JSON.stringify({ name: (e as Error)?.name ?? 'Error', message: (e as Error)?.message ?? String(e) }) }),
      );
    this.asyncOps.set(id, op);
  }

  private hostCall(nameH: QuickJSHandle, argsH: QuickJSHandle, bytesH?: QuickJSHandle): QuickJSHandle | undefined {
    const ctx = this.ctx;
    const name = ctx.getString(nameH);
    const args = JSON.parse(ctx.getString(argsH)) as unknown[];
    if (name === 'timer') {
      if (this.timers.length >= MAX_TIMERS) {
        this.limitHit = new SandboxError('timers', `The app set too many timers: the limit is ${MAX_TIMERS} pending timers per invocation.`);
        throw new RangeError(`too many timers: the limit is ${MAX_TIMERS} pending timers per invocation`);
      }
      this.timers.push({ id: Number(args[0]), due: Date.now() + Math.max(0, Number(args[1]) || 0) });
      return undefined;
    }
    if (name === 'async') {
      this.startAsync(args);
      return undefined;
    }
    let bytes: Buffer | undefined;
    if (bytesH && ctx.typeof(bytesH) === 'object') {
      const ab = ctx.getArrayBuffer(bytesH);
      bytes = Buffer.from(ab.value);
      ab.dispose();
    }
    const out = this.host(name, args, bytes, this.inv);
    if (out === undefined) return undefined;
    if (out instanceof HostBytes) {
      const arr = ctx.newArray();
      const j = ctx.newString(JSON.stringify(out.json));
      ctx.setProp(arr, 0, j);
      j.dispose();
      if (out.bytes) {
        const b = ctx.newArrayBuffer(out.bytes.buffer.slice(out.bytes.byteOffset, out.bytes.byteOffset + out.bytes.byteLength));
        ctx.setProp(arr, 1, b);
        b.dispose();
      }
      return arr;
    }
    return ctx.newString(JSON.stringify(out));
  }

  private json(v: unknown): QuickJSHandle {
    const J = this.ctx.getProp(this.ctx.global, 'JSON');
    const parse = this.ctx.getProp(J, 'parse');
    J.dispose();
    const s = this.ctx.newString(JSON.stringify(v));
    try {
      return this.unwrap(this.ctx.callFunction(parse, this.ctx.undefined, s));
    } finally {
      s.dispose();
      parse.dispose();
    }
  }

  private unwrap(r: { error?: QuickJSHandle; value?: QuickJSHandle }): QuickJSHandle {
    if (r.error) throw this.thrown(r.error);
    return r.value!;
  }

  private thrown(errH: QuickJSHandle): SandboxError {
    const d = this.read(errH);
    const { timeoutMs, memoryMb } = this.spec.limits;
    const e = this.limitHit ?? classifyThrown(d, { timedOut: this.timedOut, timeoutMs, memoryMb, heapCouldBeFull: this.engine.bytes >= memoryMb * 1024 * 1024 });
    if (e.kind === 'memory') this.engine.poisoned = true;
    return e;
  }

  /** Reads a thrown value, cut to size inside the sandbox (describe-thrown.ts); null when even that fails. */
  private read(errH: QuickJSHandle): Described | null {
    if (!this.describe?.alive) {
      errH.dispose();
      return null;
    }
    const limit = this.ctx.newNumber(MAX_ERROR_CHARS);
    try {
      const r = this.ctx.callFunction(this.describe, this.ctx.undefined, errH, limit);
      if (r.error) {
        r.error.dispose();
        return null;
      }
      return JSON.parse(r.value.consume((v) => this.ctx.getString(v))) as Described;
    } catch {
      return null;
    } finally {
      limit.dispose();
      errH.dispose();
    }
  }

  /** Frees the context and runtime. A failure here means the engine's heap is suspect: retire it. */
  dispose(): void {
    this.disposed = true;
    this.freeContext();
    if (this.engine.bytes > (this.spec.limits.memoryMb + 16) * 1024 * 1024) this.engine.poisoned = true;
  }

  private freeContext(): void {
    try {
      if (this.api?.alive) this.api.dispose();
      if (this.describe?.alive) this.describe.dispose();
      if (this.ctx?.alive) this.ctx.dispose();
      if (this.rt?.alive) this.rt.dispose();
    } catch {
      this.engine.poisoned = true;
    }
  }
}
