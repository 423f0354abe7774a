import { z } from 'zod';
import { appRef } from '../apps/schemas.js';
import type { Kernel } from '../kernel/kernel.js';
import { defineOp } from '../kernel/ops/define.js';
import { OpError } from '../kernel/ops/errors.js';
import { parseSince } from '../kernel/time.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './log-query.js';
import type { LogFilter } from './types.js';

const level = z.enum(['debug', 'info', 'warn', 'error']);

const logLine = z.object({
  id: z.number(),
  at: z.string(),
  appId: z.string().nullable(),
  app: z.string().nullable().describe('App slug'),
  level,
  message: z.string(),
  fields: z.record(z.string(), z.unknown()).nullable(),
  requestId: z.string().nullable(),
});

const accessLine = z.object({
  id: z.number(),
  at: z.string(),
  appId: z.string().nullable(),
  slug: z.string(),
  kind: z.string(),
  method: z.string(),
  path: z.string(),
  status: z.number(),
  durationMs: z.number(),
  bytes: z.number(),
  requestId: z.string().nullable(),
  hits: z.number().int().describe('Requests this line stands for (successful static hits are counted per window)'),
});

export const logsQueryInput = z.object({
  app: appRef.optional().describe('Only this app (id or slug); required for a token scoped to one app'),
  level: level.optional().describe('This level and above: warn means warn and error (access logs: warn = status ≥ 400, error = ≥ 500)'),
  since: z.string().optional().describe('Start: a duration ago (30m, 1h, 7d) or an ISO time'),
  until: z.string().optional().describe('End: a duration ago or an ISO time'),
  grep: z.string().min(1).max(200).optional().describe('Plain text the message (or request path) contains, case-insensitive'),
  limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  kind: z.enum(['app', 'access']).default('app').describe('app: lines the app logged; access: served requests'),
});

/** Turns op input into a store filter, resolving the app reference to its id. */
export function toFilter(kernel: Kernel, input: z.output<typeof logsQueryInput>): LogFilter {
  let appId: string | undefined;
  if (input.app) {
    const app = kernel.services.apps?.find(input.app);
    if (!app) throw new OpError('NOT_FOUND', `No app '${input.app}'. Run 'fazt apps list' to see your apps.`, { app: input.app });
    appId = app.id;
  }
  return {
    kind: input.kind,
    appId,
    level: input.level,
    grep: input.grep,
    since: input.since ? parseSince(input.since) : undefined,
    until: input.until ? parseSince(input.until, 'until') : undefined,
    limit: input.limit,
  };
}

/** Slug for an app id, cached for one answer. */
export function slugLookup(kernel: Kernel): (appId: string | null) => string | null {
  const cache = new Map<string, string | null>();
  return (appId) => {
    if (!appId) return null;
    if (!cache.has(appId)) cache.set(appId, kernel.services.apps?.find(appId)?.slug ?? null);
    return cache.get(appId)!;
  };
}

export const logsQuery = defineOp({
  name: 'logs.query',
  title: 'Query logs',
  description:
    "Returns an app's log lines (what its code logged with fazt.log.*, and uncaught errors) or, with kind=access, the requests it served (status, duration, path), newest first. " +
    'Filter by app, level (that level and above), time (since/until: 30m, 1h, 7d or ISO) and grep (plain text). ' +
    'Use it to find why an app fails: start with level=error and since=1h; each line carries the requestId of the request that wrote it.',
  input: logsQueryInput,
  output: z.object({ kind: z.enum(['app', 'access']), entries: z.array(z.union([logLine, accessLine])) }),
  requires: ['kernel:logs:read', 'app:{app}:read'],
  risk: 'read',
  idempotent: true,
  cli: { command: ['logs', 'query'] },
  handler: ({ kernel }, input) => {
    const filter = toFilter(kernel, input);
    const store = kernel.services.logStore;
    if (filter.kind === 'access') return { kind: 'access' as const, entries: store.queryAccess(filter) };
    const slug = slugLookup(kernel);
    return { kind: 'app' as const, entries: store.queryLogs(filter).map((r) => ({ ...r, app: slug(r.appId) })) };
  },
});

export const logsCleanup = defineOp({
  name: 'logs.cleanup',
  title: 'Delete old logs',
  description:
    'Permanently deletes app log lines and access logs older than olderThan (a duration such as 7d or 12h, or an ISO time), for one app or all. ' +
    'Returns how many rows were deleted. Destructive: a model calling it needs the owner to approve. Old lines are also removed automatically after the retention period.',
  input: z.object({
    olderThan: z.string().min(1).describe('Delete lines older than this: 7d, 12h, or an ISO time'),
    app: appRef.optional().describe('Only this app (id or slug)'),
  }),
  output: z.object({ deleted: z.number(), logs: z.number(), access: z.number(), before: z.string() }),
  requires: ['kernel:logs:write', 'app:{app}:write'],
  risk: 'destructive',
  describeHalt: (input) => `Delete log lines and access logs older than ${input.olderThan}${input.app ? ` of app '${input.app}'` : ' of every app'}.`,
  cli: { command: ['logs', 'cleanup'] },
  handler: ({ kernel }, input) => {
    const before = parseSince(input.olderThan, 'olderThan');
    let appId: string | undefined;
    if (input.app) {
      const app = kernel.services.apps?.find(input.app);
      if (!app) throw new OpError('NOT_FOUND', `No app '${input.app}'.`, { app: input.app });
      appId = app.id;
    }
    const d = kernel.services.logStore.cleanup(before, appId);
    return { deleted: d.logs + d.access, logs: d.logs, access: d.access, before };
  },
});

export const logsOps = [logsQuery, logsCleanup];
