import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kernel, RouteInfo } from '../../kernel/kernel.js';
import { maxInputBytes } from '../../kernel/ops/define.js';
import { OpError, toOpError } from '../../kernel/ops/errors.js';
import { coerceStrings, opSchemas } from '../shared/json-schema.js';
import { authenticateCall } from './authenticate.js';
import { closeIfBodyUnread, readJson } from './body.js';
import { bodyLimitsFromConfig } from './body-limits.js';
import { invokeStreaming, wantsStream } from './ops-stream.js';
import { paramsToObject } from './params.js';
import { sendAuthError, sendJson } from './respond.js';
import { wantsTask } from './task-request.js';

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
 * The caller and the op are known before a byte of the body is read, and the body is
 * read only up to that op's limit: anything refused earlier never costs its body.
 */
export function opsRoute(kernel: Kernel) {
  const bodyLimits = bodyLimitsFromConfig(kernel.config.extra);
  return async function handleOps(req: IncomingMessage, res: ServerResponse, route: RouteInfo): Promise<boolean> {
    if (route.hostKind !== 'kernel' || !route.path.startsWith(PREFIX)) return false;
    res.setHeader('x-request-id', route.requestId);
    try {
      const name = opNameOf(route.path);
      const { caller, surface } = authenticateCall(kernel, req, { op: name, surface: 'http', requestId: route.requestId, access: { slug: route.slug, path: route.path, started: Date.now() } });
      const op = kernel.registry.get(name);
      if (!op) throw new OpError('NOT_FOUND', `Unknown operation '${name}'.`);
      let input: unknown;
      if (req.method === 'POST') {
        const limit = maxInputBytes(op, kernel.config);
        const why = limit === kernel.config.maxUploadBytes ? ' (set with --max-upload)' : '';
        input = await readJson(req, limit, bodyLimits.maxJsonDepth, `The request body is too large: ${name} accepts at most ${limit} bytes${why}.`);
      } else if (req.method === 'GET' || req.method === 'HEAD') {
        if (op.risk !== 'read') throw new OpError('METHOD_NOT_ALLOWED', `${name} changes state: use POST.`);
        input = coerceStrings(opSchemas(op).input, paramsToObject(route.url.search, bodyLimits.maxFormFields, 'query string'));
      } else {
        throw new OpError('METHOD_NOT_ALLOWED', 'Use GET (read ops) or POST.');
      }
      if (wantsTask(req, route.url)) {
        const task = await kernel.services.tasks.start(caller, name, input, { surface, requestId: route.requestId });
        return (sendJson(res, 202, { taskId: task.id, status: task.status, task }, { location: `/api/ops/tasks.get?id=${task.id}` }), true);
      }
      const ac = new AbortController();
      res.on('close', () => !res.writableFinished && ac.abort());
      if (wantsStream(req, op)) return (await invokeStreaming(kernel, res, caller, name, input, { surface, requestId: route.requestId, signal: ac.signal }), true);
      const result = await kernel.invoke(caller, name, input, { surface, requestId: route.requestId, signal: ac.signal });
      if (result.status === 'halted') sendJson(res, 202, result.halt);
      else sendJson(res, 200, result.output);
    } catch (err) {
      const e = toOpError(err);
      closeIfBodyUnread(req, res);
      if (e.code === 'METHOD_NOT_ALLOWED') return (sendJson(res, 405, { error: e.toJSON() }, { allow: 'GET, POST' }), true);
      sendAuthError(req, res, e);
    }
    return true;
  };
}
