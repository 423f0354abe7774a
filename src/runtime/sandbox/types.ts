/** What the sandbox and its callers exchange. */
import type { SandboxLimits } from './limits.js';

/** Who an invocation runs for: host calls read it (request id for logs, user id for fazt.app.user.*). */
export interface Invocation {
  requestId: string;
  userId: string | null;
  /** When the invocation's time runs out (epoch ms): set on calls that wait, so the host gives up in time. */
  deadline?: number;
}

/** `fazt.*` calls answered later (a promise in the app): they cross to the main thread without blocking the worker. */
export function isAsyncHostCall(name: string): boolean {
  return name.startsWith('ai.');
}

/** Bytes returned next to JSON from a host call (fazt.app.s3.get). */
export class HostBytes {
  constructor(
    readonly json: unknown,
    readonly bytes: Buffer | null,
  ) {}
}

/** The host side of every `fazt.*` call, already bound to one app. Throwing surfaces as a JS exception. */
export type HostCall = (name: string, args: unknown[], bytes: Buffer | undefined, inv: Invocation) => unknown;

export interface AppCode {
  app: { id: string; slug: string; name: string; env: Record<string, string> };
  code: string;
  /** ES module (export default) or a classic script using the `request` global and respond(). */
  isModule: boolean;
  limits: SandboxLimits;
}

export interface Registrations {
  tools: { name: string; description: unknown; input: unknown; readOnly: boolean; destructive?: boolean }[];
  resources: { uriTemplate: string; description: unknown; mimeType?: unknown }[];
  events: string[];
}

export interface EncodedResponse {
  status: number;
  headers: Record<string, string>;
  type: 'empty' | 'text' | 'json' | 'bytes';
  body: Buffer;
}

/** Where a reusable slot goes after a clean invocation (its pool); without one it is freed. */
export type ReleaseSlot<S = unknown> = (slot: S) => void;

export function looksLikeModule(code: string): boolean {
  return /(^|[\n;}])\s*export\s+(default|async|function|const|let|var|class|\{)|(^|[\n;])\s*import\s*[\w{*'"]/.test(code);
}
