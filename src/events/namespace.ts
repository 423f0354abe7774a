import { OpError } from '../kernel/ops/errors.js';
import type { EventEmitter } from './api.js';

/** `[app:<slug>.|agent:<name>.]segment(.segment)*`, e.g. `app:shop.order.created`, `system.app.deployed`. */
const TYPE_RE = /^(?:(app|agent):([a-z0-9][a-z0-9_-]{0,62})\.)?[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;
export const MAX_TYPE_LENGTH = 200;

/** Namespaces only the kernel writes: its own events and the pipeline's `op.*`. */
const KERNEL_ONLY = ['system', 'op'];

export interface ParsedType {
  /** 'app' / 'agent' for `app:x.` / `agent:x.` types, else the first segment (`system`, `user`, ...). */
  namespace: string;
  /** The app slug or agent name of a prefixed type. */
  owner?: string;
}

export function parseEventType(type: string): ParsedType {
  const m = typeof type === 'string' && type.length <= MAX_TYPE_LENGTH ? TYPE_RE.exec(type) : null;
  if (!m) {
    throw new OpError(
      'BAD_INPUT',
      `Invalid event type '${String(type).slice(0, 80)}': use dot-separated words of letters, digits, '-' and '_' (up to ${MAX_TYPE_LENGTH} characters), optionally prefixed app:<slug>. or agent:<name>., e.g. app:shop.order.created.`,
      { fields: [{ path: 'type', message: 'invalid event type' }] },
    );
  }
  return m[1] ? { namespace: m[1], owner: m[2] } : { namespace: type.split('.')[0] };
}

/** The `source` recorded on events from this emitter. */
export function sourceOf(e: EventEmitter): string {
  switch (e.kind) {
    case 'system':
      return 'system';
    case 'owner':
      return 'owner';
    case 'app':
      return `app:${e.slug}`;
    case 'agent':
      return `agent:${e.name}`;
  }
}

/**
 * Who may emit what: the kernel anything; the owner any namespace but the kernel's;
 * an app only `app:<its slug>.*`; an agent only `agent:<its name>.*`.
 */
export function checkNamespace(emitter: EventEmitter, type: string): void {
  const t = parseEventType(type);
  if (emitter.kind === 'system') return;
  if (t.namespace !== 'app' && t.namespace !== 'agent' && KERNEL_ONLY.includes(t.namespace)) {
    throw new OpError('FORBIDDEN', `Only the fazt kernel may emit '${t.namespace}.*' events; use your own namespace${ownNamespaceHint(emitter)}.`, {
      type,
    });
  }
  if (emitter.kind === 'app' && !(t.namespace === 'app' && t.owner === emitter.slug)) {
    throw new OpError('FORBIDDEN', `App '${emitter.slug}' may only emit events named app:${emitter.slug}.<name>, not '${type}'.`, { type });
  }
  if (emitter.kind === 'agent' && !(t.namespace === 'agent' && t.owner === emitter.name)) {
    throw new OpError('FORBIDDEN', `Agent '${emitter.name}' may only emit events named agent:${emitter.name}.<name>, not '${type}'.`, { type });
  }
}

function ownNamespaceHint(e: EventEmitter): string {
  if (e.kind === 'app') return ` (app:${e.slug}.<name>)`;
  if (e.kind === 'agent') return ` (agent:${e.name}.<name>)`;
  return ' (e.g. app:<slug>.<name> or a name of your own like deploy.finished)';
}
