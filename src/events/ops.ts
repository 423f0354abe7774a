import { z } from 'zod';
import { parseDuration } from '../auth/tokens.js';
import type { Caller } from '../kernel/ops/define.js';
import { defineOp } from '../kernel/ops/define.js';
import { OpError } from '../kernel/ops/errors.js';
import type { Kernel } from '../kernel/kernel.js';
import { parseSince } from '../kernel/time.js';
import type { EventEmitter } from './api.js';
import { DEFAULT_EVENT_LIMIT, MAX_EVENT_LIMIT } from './event-query.js';

const eventSchema = z.object({
  id: z.string(),
  type: z.string(),
  source: z.string(),
  data: z.unknown(),
  timestamp: z.string(),
  correlationId: z.string().optional(),
});

/** Characters an event type or pattern may hold (`*` only in patterns). */
export const typePattern = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_:.*-]+$/, "letters, digits, '.', ':', '-', '_' and '*'");

export const eventsList = defineOp({
  name: 'events.list',
  title: 'List events',
  description:
    'Returns stored events, newest first: everything the kernel emits under system.* (app deployed/deleted/error, halt created/decided, pulse beats) plus events emitted with persist=true, until their TTL (default 7 days) passes. ' +
    'Filter by type (exact, or a pattern with *, e.g. system.app.* or app:shop.*), source (system, owner, app:<slug>, agent:<name>) and time (since/until: 30m, 1h, 7d or ISO).',
  input: z.object({
    type: typePattern.optional().describe('Event type or pattern with *, e.g. system.app.*'),
    source: z.string().max(200).optional().describe('Who emitted it: system, owner, app:<slug>, agent:<name>'),
    since: z.string().optional().describe('A duration ago (30m, 1h, 7d) or an ISO time'),
    until: z.string().optional().describe('A duration ago or an ISO time'),
    limit: z.number().int().min(1).max(MAX_EVENT_LIMIT).default(DEFAULT_EVENT_LIMIT),
  }),
  output: z.object({ events: z.array(eventSchema) }),
  requires: 'kernel:events:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['events', 'list'], positional: ['type'] },
  handler: ({ kernel }, input) => ({
    events: kernel.services.eventLog.query({
      type: input.type,
      source: input.source,
      since: input.since ? parseSince(input.since) : undefined,
      until: input.until ? parseSince(input.until, 'until') : undefined,
      limit: input.limit,
    }),
  }),
});

/** The emitter an op caller speaks as: apps and agents stay in their own namespace. */
export function emitterFor(kernel: Kernel, caller: Caller): EventEmitter {
  if (caller.kind === 'app' && caller.appId) {
    const app = kernel.services.apps?.find(caller.appId);
    if (!app) throw new OpError('NOT_FOUND', `No app '${caller.appId}'.`);
    return { kind: 'app', appId: app.id, slug: app.slug };
  }
  if (caller.kind === 'agent') return { kind: 'agent', name: caller.name };
  if (caller.kind === 'system') return { kind: 'system' };
  return { kind: 'owner' };
}

export const eventsEmit = defineOp({
  name: 'events.emit',
  title: 'Emit event',
  description:
    'Emits an event on the fazt event bus; apps and watchers subscribed to a matching pattern receive it. ' +
    "Use any namespace except the kernel's (system.*, op.*), e.g. app:<slug>.<name> to reach an app's handlers or a name of your own like deploy.finished. " +
    'data is any JSON up to 64 KB. persist=true keeps it for events.list until ttl (default 7d) passes. Returns the event with its id.',
  input: z.object({
    type: typePattern.refine((t) => !t.includes('*'), 'an event type cannot contain *').describe('Event type, e.g. app:shop.order.created'),
    data: z.unknown().optional().describe('Any JSON value, up to 64 KB'),
    correlationId: z.string().min(1).max(200).optional().describe('Ties related events together'),
    persist: z.boolean().default(false).describe('Keep it in the event store (queryable with events.list)'),
    ttl: z.string().optional().describe('How long a persisted event is kept, e.g. 1h, 7d (default 7d)'),
  }),
  output: eventSchema.extend({ persisted: z.boolean() }),
  requires: 'kernel:events:write',
  risk: 'write',
  cli: { command: ['events', 'emit'] },
  handler: ({ kernel, caller }, input) => {
    let ttlMs: number | undefined;
    if (input.ttl !== undefined) {
      const ms = parseDuration(input.ttl);
      if (ms === null || ms <= 0) throw new OpError('BAD_INPUT', `ttl: '${input.ttl}' is not a duration like 1h or 7d.`, { fields: [{ path: 'ttl', message: 'expected a duration' }] });
      ttlMs = ms;
    }
    const e = kernel.services.eventStore.emitFrom(emitterFor(kernel, caller), input.type, input.data ?? null, {
      persist: input.persist,
      ttlMs,
      correlationId: input.correlationId,
    });
    return { ...e, persisted: input.persist || e.type.startsWith('system.') };
  },
});

export const eventsOps = [eventsList, eventsEmit];
