import { Worker } from 'node:worker_threads';
import { OpError } from '../../kernel/ops/errors.js';
import type { BodyLimits } from '../../surfaces/http/body-limits.js';
import { parseBody } from './parse-body.js';

/**
 * Bodies from this size up are parsed in a worker thread: a 10 MB JSON or form body
 * takes a few hundred ms to parse and serialize, which on the main thread would stall
 * every other request. Smaller ones are parsed in place (a thread hop costs more).
 */
export const OFFLOAD_BYTES = 256 * 1024;

export interface BodyJob {
  id: number;
  contentType: string;
  raw: Uint8Array;
  limits: BodyLimits;
}

export type BodyResult = { id: number; json: string } | { id: number; error: { code: string; message: string; details?: Record<string, unknown> } };

let worker: Worker | null = null;
let seq = 0;
let offloaded = 0;
const pending = new Map<number, { resolve: (json: string) => void; reject: (err: Error) => void }>();

/** `{"body": …, "files": […]}` as JSON text: what the sandbox receives, without parsing it twice. */
export async function parseBodyJson(contentType: string, raw: Buffer, limits: BodyLimits): Promise<string> {
  if (raw.length < OFFLOAD_BYTES) return JSON.stringify(parseBody(contentType, raw, limits));
  offloaded++;
  const id = ++seq;
  const w = parser();
  return new Promise<string>((resolve, reject) => {
    if (!pending.size) w.ref(); // a job in flight keeps the process up; an idle thread does not
    pending.set(id, { resolve, reject });
    w.postMessage({ id, contentType, raw, limits } satisfies BodyJob);
  });
}

/** How many bodies went to the worker thread (for tests: work counted, not timed). */
export function offloadedBodies(): number {
  return offloaded;
}

/** One thread for the whole process, started on the first big body; idle, it does not keep the process alive. */
function parser(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./body-parser-worker.js', import.meta.url));
  w.on('message', (r: BodyResult) => {
    const p = pending.get(r.id);
    if (!p) return;
    pending.delete(r.id);
    if (!pending.size) w.unref();
    if ('json' in r) p.resolve(r.json);
    else p.reject(new OpError(r.error.code as OpError['code'], r.error.message, r.error.details));
  });
  const fail = (err: Error) => {
    if (worker === w) worker = null;
    for (const p of pending.values()) p.reject(new Error(`The request body parser stopped: ${err.message}`));
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  w.unref(); // after the listeners: adding a 'message' listener refs the worker again
  worker = w;
  return w;
}
