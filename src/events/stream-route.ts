import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kernel, RouteInfo } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import { authenticateCall } from '../surfaces/http/authenticate.js';
import { sendAuthError } from '../surfaces/http/respond.js';
import { typePattern } from './ops.js';
import { onlyParams, SseStream } from './sse.js';

export const EVENTS_STREAM_PATH = '/api/stream/events';

/**
 * `GET /api/stream/events?pattern=system.app.*`: every matching event as it is
 * emitted. Authorized and audited by running events.list when the stream starts.
 */
export function eventsStreamRoute(kernel: Kernel) {
  return async function handleEventsStream(req: IncomingMessage, res: ServerResponse, route: RouteInfo): Promise<boolean> {
    if (route.hostKind !== 'kernel' || route.path !== EVENTS_STREAM_PATH) return false;
    res.setHeader('x-request-id', route.requestId);
    try {
      if (req.method !== 'GET') throw new OpError('BAD_INPUT', 'Use GET for the event stream.');
      const { caller, surface } = authenticateCall(kernel, req, { op: 'events.list', surface: 'http', requestId: route.requestId, access: { slug: route.slug, path: route.path, started: Date.now() } });
      onlyParams(route.url, ['pattern']);
      const pattern = route.url.searchParams.get('pattern') || '*';
      // Checked as the pattern it is (`app:*` is fine), so an error names what the person typed.
      if (!typePattern.safeParse(pattern).success) {
        throw new OpError('BAD_INPUT', `Invalid event pattern '${pattern.slice(0, 80)}': use letters, digits, '.', ':', '-', '_' and '*', e.g. system.app.* or app:shop.*.`);
      }
      await kernel.invoke(caller, 'events.list', { type: pattern, limit: 1 }, { surface, requestId: route.requestId });
      const stream = new SseStream(req, res);
      stream.whenClosed(kernel.events.on(pattern, (e) => stream.send(e, { id: e.id })));
    } catch (err) {
      sendAuthError(req, res, err);
    }
    return true;
  };
}
