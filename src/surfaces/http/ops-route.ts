import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kernel, RouteInfo } from '../../kernel/kernel.js';
import { OpError, toOpError } from '../../kernel/ops/errors.js';
import { coerceStrings, opSchemas } from '../shared/json-schema.js';
import { authenticateCall } from './authenticate.js';
import { readJson } from './body.js';
import { invokeStreaming, wantsStream } from './ops-stream.js';
import { sendAuthError, sendJson } from './respond.js';

const PREFIX = '/api/ops/';

/** The op name in the path; a malformed escape is a client error, not a crash. */
function opNameOf(pathname: string): string {
  const raw = pathname.slice(PREFIX.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new OpError('NOT_FOUND', `Unknown operation '${raw}'.`);
  }
}

/**
 * `POST /api/ops/<name>` with a JSON body runs any op; `GET` runs `read` ops with
 * query parameters. Every request goes through kernel.invoke.
 */
export function opsRoute(kernel: Kernel) {
  return async function handleOps(req: IncomingMessage, res: ServerResponse, route: RouteInfo): Promise<boolean> {
    if (route.hostKind !== 'kernel' || !route.url.pathname.startsWith(PREFIX)) return false;
    res.setHeader('x-request-id', route.requestId);
    try {
      const name = opNameOf(route.url.pathname);
      const { caller, surface } = authenticateCall(kernel, req, { op: name, surface: 'http', requestId: route.requestId, access: { slug: route.slug, path: route.url.pathname, started: Date.now() } });
      const op = kernel.registry.get(name);
      if (!op) throw new OpError('NOT_FOUND', `Unknown operation '${name}'.`);
      let input: unknown;
      if (req.method === 'POST') {
        input = await readJson(req, kernel.config.maxUploadBytes);
      } else if (req.method === 'GET' || req.method === 'HEAD') {
        if (op.risk !== 'read') throw new OpError('METHOD_NOT_ALLOWED', `${name} changes state: use POST.`);
        const q: Record<string, string | string[]> = {};
        for (const key of new Set(route.url.searchParams.keys())) {
          const all = route.url.searchParams.getAll(key);
          q[key] = all.length > 1 ? all : all[0];
        }
        input = coerceStrings(opSchemas(op).input, q);
      } else {
        throw new OpError('METHOD_NOT_ALLOWED', 'Use GET (read ops) or POST.');
      }
      const ac = new AbortController();
      res.on('close', () => !res.writableFinished && ac.abort());
      if (wantsStream(req, op)) return (await invokeStreaming(kernel, res, caller, name, input, { surface, requestId: route.requestId, signal: ac.signal }), true);
      const result = await kernel.invoke(caller, name, input, { surface, requestId: route.requestId, signal: ac.signal });
      if (result.status === 'halted') sendJson(res, 202, result.halt);
      else sendJson(res, 200, result.output);
    } catch (err) {
      const e = toOpError(err);
      if (e.code === 'METHOD_NOT_ALLOWED') return (sendJson(res, 405, { error: e.toJSON() }, { allow: 'GET, POST' }), true);
      sendAuthError(req, res, e);
    }
    return true;
  };
}
