import type { IncomingMessage, ServerResponse } from 'node:http';
import { queryParams, SseStream } from '../events/sse.js';
import type { Kernel, RouteInfo } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import { authenticateCall } from '../surfaces/http/authenticate.js';
import { sendAuthError } from '../surfaces/http/respond.js';
import { coerceStrings, opSchemas } from '../surfaces/shared/json-schema.js';
import { logsQuery, logsQueryInput, slugLookup, toFilter } from './ops.js';
import type { FollowedLine } from './types.js';

export const LOGS_STREAM_PATH = '/api/stream/logs';

/**
 * `GET /api/stream/logs?app=&level=&grep=&kind=&tail=N`: the last N matching lines,
 * then every new one as it is written. Authorized and audited by running
 * logs.query with the same filters when the stream starts.
 */
export function logsStreamRoute(kernel: Kernel) {
  return async function handleLogsStream(req: IncomingMessage, res: ServerResponse, route: RouteInfo): Promise<boolean> {
    if (route.hostKind !== 'kernel' || route.path !== LOGS_STREAM_PATH) return false;
    res.setHeader('x-request-id', route.requestId);
    let unfollow: (() => void) | undefined;
    try {
      if (req.method !== 'GET') throw new OpError('BAD_INPUT', 'Use GET for the log stream.');
      const { caller, surface } = authenticateCall(kernel, req, { op: 'logs.query', surface: 'http', requestId: route.requestId, access: { slug: route.slug, path: route.path, started: Date.now() } });
      const q = queryParams(route.url, ['tail']);
      const tailText = route.url.searchParams.get('tail');
      if (tailText !== null && !/^\d{1,7}$/.test(tailText)) throw new OpError('BAD_INPUT', `tail: '${tailText.slice(0, 40)}' is not a number of lines (0-1000).`);
      const tail = Math.min(Number(tailText ?? 0), 1000);
      const input = { ...coerceStrings(opSchemas(logsQuery).input, q), limit: Math.max(tail, 1) };

      // Follow before querying, so no line falls between the backlog and the live feed.
      const live: FollowedLine[] = [];
      let stream: SseStream | undefined;
      const parsed = logsQueryInput.safeParse(input);
      const slug = slugLookup(kernel);
      const toWire = (item: FollowedLine) => (item.kind === 'app' ? { ...item.line, app: slug(item.line.appId) } : item.line);
      let lastId = 0;
      if (parsed.success) {
        const filter = toFilter(kernel, parsed.data);
        unfollow = kernel.services.logStore.follow(filter, (item) => {
          if (!stream) return void live.push(item);
          if (item.line.id > lastId) stream.send(toWire(item), { id: item.line.id });
        });
      }
      const result = await kernel.invoke(caller, 'logs.query', input, { surface, requestId: route.requestId });
      if (result.status !== 'ok') throw new OpError('INTERNAL', 'logs.query did not answer');
      const backlog = (result.output as { entries: { id: number }[] }).entries;
      lastId = backlog.length ? backlog[0].id : 0;

      stream = new SseStream(req, res);
      const s = stream;
      if (unfollow) s.whenClosed(unfollow);
      for (const line of tail ? backlog.slice().reverse() : []) s.send(line, { id: line.id });
      for (const item of live) if (item.line.id > lastId) s.send(toWire(item), { id: item.line.id });
      live.length = 0;
    } catch (err) {
      unfollow?.();
      sendAuthError(req, res, err);
    }
    return true;
  };
}
