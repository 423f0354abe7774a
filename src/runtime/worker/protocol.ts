import { SandboxError, type SandboxErrorKind } from '../sandbox/errors.js';
import type { AppCode, Invocation } from '../sandbox/slot.js';

/** What the main thread asks a sandbox worker to run. */
export type Method = 'request' | 'tool' | 'resource' | 'event' | 'collect';

export type ToWorker =
  /** `spec` is sent the first time a worker sees an app version (`key`). */
  | { type: 'invoke'; id: number; key: string; spec?: AppCode; method: Method; args: (string | number)[]; inv: Invocation }
  | { type: 'drop'; key: string };

export interface WireError {
  kind?: SandboxErrorKind;
  name: string;
  message: string;
  stack?: string;
}

export type FromWorker =
  | { type: 'result'; id: number; value?: unknown; error?: WireError }
  /** Sent once, when the worker has started and compiled QuickJS: it is then given work. */
  | { type: 'ready' };

/** A `fazt.*` call from app code, answered by the main thread (which owns the database, logs and events). */
export interface HostMsg {
  type: 'host';
  app: { id: string; slug: string };
  name: string;
  args: unknown[];
  bytes?: Uint8Array;
  inv: Invocation;
  /** False for calls whose answer nobody reads (logs): the worker does not wait. */
  wait: boolean;
  /** Answered later without blocking the worker (fazt.ai.*): the reply settles a promise. */
  async?: boolean;
  /** Numbers the calls the worker waits for; the reply carries it back. */
  seq?: number;
}

export interface HostReply {
  seq?: number;
  value?: unknown;
  hostBytes?: { json: unknown; bytes: Uint8Array | null };
  error?: { name: string; message: string };
}

export function toWire(err: unknown): WireError {
  if (err instanceof SandboxError) return { kind: err.kind, name: err.name, message: err.message, stack: err.stack_ };
  const e = err as { name?: unknown; message?: unknown };
  return { name: typeof e?.name === 'string' ? e.name : 'Error', message: typeof e?.message === 'string' ? e.message : String(err) };
}

export function fromWire(w: WireError): Error {
  if (w.kind) return new SandboxError(w.kind, w.message, w.stack);
  const e = new Error(w.message);
  e.name = w.name;
  return e;
}

/** A Buffer over bytes that crossed a thread boundary (they arrive as a plain Uint8Array). */
export function asBuffer(u8: Uint8Array): Buffer {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}
