import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { SandboxError } from '../sandbox/errors.js';
import type { AppRunner, SandboxHost } from '../sandbox/runner.js';
import { HostBytes, type AppCode, type EncodedResponse, type HostCall, type Invocation, type Registrations } from '../sandbox/slot.js';
import { roomForAnotherWorker } from './address-room.js';
import { FairQueue, perAppCap } from './fair-queue.js';
import { asBuffer, fromWire, type FromWorker, type HostMsg, type HostReply, type Method, type ToWorker } from './protocol.js';

const INIT: Invocation = { requestId: 'init', userId: null };
/** An extra worker (above the configured count) idle this long is stopped. */
const RETIRE_IDLE_MS = 30_000;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** One invocation waiting for, or running on, a worker. */
interface Job extends Pending {
  app: string;
  key: string;
  spec: AppCode;
  method: Method;
  args: (string | number)[];
  inv: Invocation;
  cache: boolean;
}

/** One worker thread, what it has loaded and what it is running. */
class WorkerHandle {
  readonly worker: Worker;
  readonly keys = new Set<string>();
  readonly pending = new Map<number, Pending>();
  private readonly hostPort: MessagePort;
  private readonly flag: Int32Array;
  dead = false;
  /** False until the thread has started: work goes to workers that can take it now. */
  ready = false;
  /** Set while an extra worker sits idle: it is stopped when this fires. */
  retireTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly hostFor: (app: HostMsg['app']) => HostCall,
    onExit: (w: WorkerHandle) => void,
    onReady: () => void,
  ) {
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    this.flag = new Int32Array(shared);
    this.hostPort = port1;
    this.worker = new Worker(new URL('./sandbox-worker.js', import.meta.url), { workerData: { hostPort: port2, flag: shared }, transferList: [port2] });
    this.worker.unref();
    port1.on('message', (m: HostMsg | FromWorker) => {
      if (m.type === 'host') this.answer(m);
      else if (m.type === 'result') this.settle(m);
      else if (!this.dead) {
        this.ready = true;
        onReady();
      }
    });
    port1.unref();
    const fail = (why: string) => {
      if (this.dead) return;
      this.dead = true;
      for (const p of this.pending.values()) p.reject(new SandboxError('error', `The sandbox worker stopped (${why}); the invocation was lost.`));
      this.pending.clear();
      port1.close();
      onExit(this);
    };
    this.worker.on('error', (err) => fail(err.message));
    this.worker.on('exit', (code) => fail(`exit code ${code}`));
  }

  get busy(): number {
    return this.pending.size;
  }

  private settle(m: Extract<FromWorker, { type: 'result' }>): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.error) p.reject(fromWire(m.error));
    else p.resolve(m.value);
  }

  /** Runs a fazt.* call for app code in the worker and wakes it with the answer. */
  private answer(m: HostMsg): void {
    let out: unknown;
    try {
      out = this.hostFor(m.app)(m.name, m.args, m.bytes ? asBuffer(m.bytes) : undefined, m.inv);
    } catch (err) {
      return this.reply(m, { error: wireError(err) });
    }
    if (m.async) {
      Promise.resolve(out).then(
        (v) => this.reply(m, toReply(v)),
        (err: unknown) => this.reply(m, { error: wireError(err) }),
      );
      return;
    }
    this.reply(m, toReply(out));
  }

  private reply(m: HostMsg, reply: HostReply): void {
    if (!m.wait && !m.async) return;
    reply.seq = m.seq;
    this.hostPort.postMessage(reply);
    Atomics.store(this.flag, 0, 1);
    Atomics.notify(this.flag, 0);
  }

  send(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  stop(): void {
    this.dead = true;
    if (this.retireTimer) clearTimeout(this.retireTimer);
    this.hostPort.close();
    void this.worker.terminate();
  }
}

export interface WorkerPoolOptions {
  /** Workers kept running (`runtime.workers`). */
  workers: number;
  /** Workers started on demand at most (`runtime.maxWorkers`); extra ones stop after a while idle. */
  maxWorkers: number;
  /** Invocations one app may have waiting for a worker (`runtime.appQueue`); past it, `busy`. */
  appQueue: number;
}

/**
 * Sandboxes in worker threads, shared fairly between apps. A worker runs one
 * invocation at a time, and app code that loops holds its worker until its
 * time limit: so invocations wait on the main thread (fair-queue.ts), where
 * one app can occupy at most half the workers (never all of them), apps take
 * turns, and the last idle worker is kept for an app with nothing running.
 * When every worker is taken and such an app waits, another worker is
 * started, up to `maxWorkers` and as far as the address space allows; work
 * goes to a worker only once it has started, so nothing waits for a start
 * while another worker frees up first. An
 * app whose own queue is full is answered `busy` at once instead of waiting
 * behind itself.
 */
export class WorkerSandboxes implements SandboxHost {
  private workers: WorkerHandle[] = [];
  private seq = 0;
  private readonly queue: FairQueue<Job>;

  constructor(
    private readonly opts: WorkerPoolOptions,
    private readonly hostFor: (app: HostMsg['app']) => HostCall,
  ) {
    this.queue = new FairQueue<Job>(opts.appQueue);
  }

  runner(key: string, spec: AppCode): AppRunner {
    return new WorkerRunner(this, key, spec);
  }

  /** Deploy checks wait in a queue of their own, not behind the app's requests. */
  async collect(spec: AppCode): Promise<Registrations> {
    return (await this.invoke(`collect#${++this.seq}`, spec, 'collect', [], INIT, false, `deploy:${spec.app.id}`)) as Registrations;
  }

  /** Workers, and invocations running and waiting per app (by app id). */
  load(): { workers: number; running: Record<string, number>; waiting: Record<string, number> } {
    return { workers: this.workers.length, ...this.queue.snapshot() };
  }

  /** Queues one invocation; the app's code goes along the first time a worker sees it. */
  invoke(key: string, spec: AppCode, method: Method, args: (string | number)[], inv: Invocation, cache = true, app = spec.app.id): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const job: Job = { app, key, spec, method, args, inv, cache, resolve, reject };
      if (!this.queue.push(app, job)) {
        const retryAfter = Math.max(1, Math.ceil(spec.limits.timeoutMs / 1000));
        const msg = `The app '${spec.app.slug}' is busy: ${this.opts.appQueue} of its requests are already waiting for a sandbox. Retry in ${retryAfter} s.`;
        return reject(new SandboxError('busy', msg, undefined, retryAfter));
      }
      this.dispatch();
    });
  }

  /** Starts waiting invocations on idle workers, round-robin between apps, starting workers as needed. */
  private dispatch(): void {
    while (this.workers.length < this.opts.workers && this.spawn());
    if (!this.workers.length) {
      for (const job of this.queue.drain()) job.reject(new SandboxError('error', 'No sandbox worker could be started; the invocation did not run.'));
      return;
    }
    for (;;) {
      const n = this.workers.length;
      const idle = this.workers.filter((w) => w.ready && !w.dead && w.busy === 0);
      const starting = this.workers.some((w) => !w.ready && !w.dead);
      // The last idle worker is kept for an app that has nothing running: a newcomer never waits behind a backlog.
      const app = idle.length ? this.queue.nextApp(perAppCap(n), idle.length === 1) : null;
      if (!app) {
        // Every worker is taken and an app with nothing running waits: start another if there is room.
        if (!idle.length && !starting && n < this.opts.maxWorkers && this.queue.nextApp(Infinity, true) !== null && roomForAnotherWorker() && this.spawn()) continue;
        return;
      }
      const job = this.queue.start(app);
      this.run(idle.find((w) => w.keys.has(job.key)) ?? idle[0], job);
    }
  }

  private run(w: WorkerHandle, job: Job): void {
    if (w.retireTimer) clearTimeout(w.retireTimer);
    w.retireTimer = null;
    const id = ++this.seq;
    const known = job.cache && w.keys.has(job.key);
    if (job.cache) w.keys.add(job.key);
    const done = () => {
      this.queue.finish(job.app);
      this.idle(w);
      this.dispatch();
    };
    w.pending.set(id, {
      resolve: (v) => (done(), job.resolve(v)),
      reject: (e) => (done(), job.reject(e)),
    });
    w.send({ type: 'invoke', id, key: job.key, method: job.method, args: job.args, inv: job.inv, ...(known ? {} : { spec: job.spec }) });
  }

  /** An extra worker left idle is stopped after a while, giving its memory back. */
  private idle(w: WorkerHandle): void {
    if (w.dead || w.busy || this.workers.length <= this.opts.workers) return;
    w.retireTimer = setTimeout(() => {
      if (w.busy || this.workers.length <= this.opts.workers) return;
      this.forget(w);
      w.stop();
    }, RETIRE_IDLE_MS);
    w.retireTimer.unref();
  }

  /** Starts a worker; false when the system refuses one (the work then waits for those there are). */
  private spawn(): boolean {
    try {
      this.workers.push(
        new WorkerHandle(
          this.hostFor,
          (w) => {
            this.forget(w);
            // Work waiting for a worker goes to the others (or to a replacement).
            setImmediate(() => this.dispatch());
          },
          () => this.dispatch(),
        ),
      );
      return true;
    } catch {
      return false;
    }
  }

  private forget(w: WorkerHandle): void {
    this.workers = this.workers.filter((x) => x !== w);
  }

  drop(key: string): void {
    for (const w of this.workers) if (w.keys.delete(key)) w.send({ type: 'drop', key });
  }

  stop(): void {
    for (const w of this.workers.splice(0)) w.stop();
    for (const job of this.queue.drain()) job.reject(new SandboxError('error', 'The server is stopping; the invocation did not run.'));
  }
}

/** An app version whose invocations run in the sandbox workers. */
class WorkerRunner implements AppRunner {
  lastUsed = Date.now();

  constructor(
    private readonly host: WorkerSandboxes,
    private readonly key: string,
    readonly spec: AppCode,
  ) {}

  private call(method: Method, args: (string | number)[], inv: Invocation): Promise<unknown> {
    this.lastUsed = Date.now();
    return this.host.invoke(this.key, this.spec, method, args, inv);
  }

  async request(requestJson: string, inv: Invocation): Promise<EncodedResponse> {
    const out = (await this.call('request', [requestJson], inv)) as Omit<EncodedResponse, 'body'> & { body: Uint8Array };
    return { ...out, body: asBuffer(out.body) };
  }

  async tool(name: string, argsJson: string, inv: Invocation): Promise<string> {
    return (await this.call('tool', [name, argsJson], inv)) as string;
  }

  async resource(uriTemplate: string, uri: string, paramsJson: string, inv: Invocation): Promise<string> {
    return (await this.call('resource', [uriTemplate, uri, paramsJson], inv)) as string;
  }

  async event(index: number, eventJson: string, inv: Invocation): Promise<void> {
    await this.call('event', [index, eventJson], inv);
  }

  dispose(): void {
    this.host.drop(this.key);
  }
}

function toReply(out: unknown): HostReply {
  return out instanceof HostBytes ? { hostBytes: { json: out.json, bytes: out.bytes ? new Uint8Array(out.bytes) : null } } : { value: out };
}

function wireError(err: unknown): HostReply['error'] {
  const e = err as { name?: unknown; message?: unknown };
  return { name: typeof e?.name === 'string' ? e.name : 'Error', message: typeof e?.message === 'string' ? e.message : String(err) };
}
