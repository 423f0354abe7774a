import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { SandboxError } from '../sandbox/errors.js';
import type { AppRunner, SandboxHost } from '../sandbox/runner.js';
import { HostBytes, type AppCode, type EncodedResponse, type HostCall, type Invocation, type Registrations } from '../sandbox/slot.js';
import { asBuffer, fromWire, type FromWorker, type HostMsg, type HostReply, type Method, type ToWorker } from './protocol.js';

const INIT: Invocation = { requestId: 'init', userId: null };
/** A worker whose oldest invocation has run this long may be stuck in a loop: send others elsewhere. */
const STALL_MS = 100;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  started: number;
}

/** One worker thread, what it has loaded and what it is running. */
class WorkerHandle {
  readonly worker: Worker;
  readonly keys = new Set<string>();
  readonly pending = new Map<number, Pending>();
  private readonly hostPort: MessagePort;
  private readonly flag: Int32Array;
  dead = false;

  constructor(
    private readonly hostFor: (app: HostMsg['app']) => HostCall,
    onExit: (w: WorkerHandle) => void,
  ) {
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    this.flag = new Int32Array(shared);
    this.hostPort = port1;
    this.worker = new Worker(new URL('./sandbox-worker.js', import.meta.url), { workerData: { hostPort: port2, flag: shared }, transferList: [port2] });
    this.worker.unref();
    port1.on('message', (m: HostMsg | FromWorker) => (m.type === 'host' ? this.answer(m) : this.settle(m)));
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

  stalled(now: number): boolean {
    for (const p of this.pending.values()) if (now - p.started > STALL_MS) return true;
    return false;
  }

  private settle(m: FromWorker): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.error) p.reject(fromWire(m.error));
    else p.resolve(m.value);
  }

  /** Runs a fazt.* call for app code in the worker and wakes it with the answer. */
  private answer(m: HostMsg): void {
    let reply: HostReply;
    try {
      const out = this.hostFor(m.app)(m.name, m.args, m.bytes ? asBuffer(m.bytes) : undefined, m.inv);
      reply = out instanceof HostBytes ? { hostBytes: { json: out.json, bytes: out.bytes ? new Uint8Array(out.bytes) : null } } : { value: out };
    } catch (err) {
      const e = err as { name?: unknown; message?: unknown };
      reply = { error: { name: typeof e?.name === 'string' ? e.name : 'Error', message: typeof e?.message === 'string' ? e.message : String(err) } };
    }
    if (!m.wait) return;
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
    this.hostPort.close();
    void this.worker.terminate();
  }
}

/**
 * Sandboxes in a few worker threads. An invocation goes to the idlest worker,
 * preferring one that already has the app version warm and avoiding one whose
 * oldest invocation has run for a while, so an app stuck in a loop until its
 * deadline occupies one worker while the others (and the main thread, which
 * answers HTTP and every fazt.* call) keep serving.
 */
export class WorkerSandboxes implements SandboxHost {
  private workers: WorkerHandle[] = [];
  private seq = 0;

  constructor(
    private readonly count: number,
    private readonly hostFor: (app: HostMsg['app']) => HostCall,
  ) {}

  runner(key: string, spec: AppCode): AppRunner {
    return new WorkerRunner(this, key, spec);
  }

  async collect(spec: AppCode): Promise<Registrations> {
    return (await this.invoke(`collect#${++this.seq}`, spec, 'collect', [], INIT, false)) as Registrations;
  }

  private pick(key: string): WorkerHandle {
    while (this.workers.length < this.count) this.workers.push(new WorkerHandle(this.hostFor, (w) => this.forget(w)));
    let best = this.workers[0];
    let bestScore = Infinity;
    const now = Date.now();
    for (const w of this.workers) {
      const score = (w.stalled(now) ? 1000 : 0) + w.busy * 2 + (w.keys.has(key) ? 0 : 1);
      if (score < bestScore) [best, bestScore] = [w, score];
    }
    return best;
  }

  private forget(w: WorkerHandle): void {
    this.workers = this.workers.filter((x) => x !== w);
  }

  /** Sends one invocation to a worker; the app's code goes along the first time that worker sees it. */
  invoke(key: string, spec: AppCode, method: Method, args: (string | number)[], inv: Invocation, cache = true): Promise<unknown> {
    const w = this.pick(key);
    const id = ++this.seq;
    const known = cache && w.keys.has(key);
    if (cache) w.keys.add(key);
    return new Promise((resolve, reject) => {
      w.pending.set(id, { resolve, reject, started: Date.now() });
      w.send({ type: 'invoke', id, key, method, args, inv, ...(known ? {} : { spec }) });
    });
  }

  drop(key: string): void {
    for (const w of this.workers) if (w.keys.delete(key)) w.send({ type: 'drop', key });
  }

  stop(): void {
    for (const w of this.workers.splice(0)) w.stop();
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
