/**
 * A sandbox worker thread: it keeps warm pools of app versions and runs
 * invocations the main thread sends. App code that loops until its deadline
 * holds this thread only; the main thread keeps serving. `fazt.*` calls go
 * back to the main thread synchronously (Atomics.wait on a shared flag, the
 * answer read with receiveMessageOnPort), so app code sees the same
 * synchronous API as in the main thread.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { warmUpEngines } from '../sandbox/engine.js';
import { AppPool } from '../sandbox/pool.js';
import { collectOnce } from '../sandbox/runner.js';
import { HostBytes, type AppCode, type HostCall } from '../sandbox/slot.js';
import { isAsyncHostCall } from '../sandbox/types.js';
import { asBuffer, toWire, type FromWorker, type HostMsg, type HostReply, type ToWorker } from './protocol.js';

const { hostPort, flag: shared } = workerData as { hostPort: MessagePort; flag: SharedArrayBuffer };
const flag = new Int32Array(shared);
/** How long a fazt.* call waits for the main thread before failing (it only stalls when the server is stopping). */
const HOST_WAIT_MS = 60_000;

let seq = 0;
/** Asynchronous calls (fazt.ai.*) waiting for the main thread's answer, by seq. */
const waiting = new Map<number, (r: HostReply) => void>();

/** An answer to an asynchronous call settles its promise; any other stray answer (a call that gave up) is dropped. */
function dispatch(r: HostReply): boolean {
  const settle = r.seq === undefined ? undefined : waiting.get(r.seq);
  if (!settle) return false;
  waiting.delete(r.seq!);
  settle(r);
  return true;
}
// While app code awaits (no synchronous wait in progress) answers arrive as events.
hostPort.on('message', (r: HostReply) => void dispatch(r));

/** Blocks until the main thread answers call `want`; an answer to an earlier call that gave up is skipped. */
function awaitReply(want: number): HostReply | null {
  const until = Date.now() + HOST_WAIT_MS;
  for (;;) {
    // Cleared before looking, so an answer posted after the look still wakes the wait below.
    Atomics.store(flag, 0, 0);
    for (let got = receiveMessageOnPort(hostPort); got; got = receiveMessageOnPort(hostPort)) {
      const r = got.message as HostReply;
      if (r.seq === want) return r;
      dispatch(r);
    }
    const left = until - Date.now();
    if (left <= 0) return null;
    Atomics.wait(flag, 0, 0, left);
  }
}

function fromReply(name: string, r: HostReply | null): unknown {
  if (!r) throw new Error(`fazt call '${name}' got no answer from the server`);
  if (r.error) {
    const e = new Error(r.error.message);
    e.name = r.error.name;
    throw e;
  }
  if (r.hostBytes) return new HostBytes(r.hostBytes.json, r.hostBytes.bytes ? asBuffer(r.hostBytes.bytes) : null);
  return r.value;
}

function hostFor(app: AppCode['app']): HostCall {
  const who = { id: app.id, slug: app.slug };
  return (name, args, bytes, inv) => {
    if (isAsyncHostCall(name)) {
      const msg: HostMsg = { type: 'host', app: who, name, args, inv, wait: false, async: true, seq: ++seq };
      return new Promise((resolve, reject) => {
        waiting.set(msg.seq!, (r) => {
          try {
            resolve(fromReply(name, r));
          } catch (err) {
            reject(err);
          }
        });
        hostPort.postMessage(msg);
      });
    }
    const msg: HostMsg = { type: 'host', app: who, name, args, inv, wait: name !== 'log', ...(bytes ? { bytes: new Uint8Array(bytes) } : {}) };
    if (!msg.wait) {
      hostPort.postMessage(msg);
      return undefined;
    }
    msg.seq = ++seq;
    hostPort.postMessage(msg);
    return fromReply(name, awaitReply(msg.seq));
  };
}

const pools = new Map<string, AppPool>();
void warmUpEngines().then(() => hostPort.postMessage({ type: 'ready' } satisfies FromWorker));

async function run(m: Extract<ToWorker, { type: 'invoke' }>): Promise<unknown> {
  if (m.method === 'collect') return collectOnce(m.spec!, hostFor(m.spec!.app));
  let pool = pools.get(m.key);
  if (!pool) {
    if (!m.spec) throw new Error(`sandbox worker: app version ${m.key} is not loaded`);
    pool = new AppPool(m.spec, hostFor(m.spec.app));
    pools.set(m.key, pool);
  }
  const slot = await pool.take();
  const a = m.args;
  switch (m.method) {
    case 'request': {
      const out = await slot.request(String(a[0]), m.inv);
      // An exact copy: a pooled Buffer would carry its whole slab across.
      return { ...out, body: new Uint8Array(out.body) };
    }
    case 'tool':
      return slot.tool(String(a[0]), String(a[1]), m.inv);
    case 'resource':
      return slot.resource(String(a[0]), String(a[1]), String(a[2]), m.inv);
    case 'event':
      return slot.event(Number(a[0]), String(a[1]), m.inv);
  }
}

parentPort!.on('message', (m: ToWorker) => {
  if (m.type === 'drop') {
    pools.get(m.key)?.dispose();
    pools.delete(m.key);
    return;
  }
  run(m).then(
    // Results take the same channel as logs, so the main thread has every log line of an invocation before its result.
    (value) => hostPort.postMessage({ type: 'result', id: m.id, value } satisfies FromWorker),
    (err: unknown) => hostPort.postMessage({ type: 'result', id: m.id, error: toWire(err) } satisfies FromWorker),
  );
});
