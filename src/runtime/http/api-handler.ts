import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kernel, RouteInfo } from '../../kernel/kernel.js';
import { OpError, toOpError } from '../../kernel/ops/errors.js';
import { readBody } from '../../surfaces/http/body.js';
import { bodyLimitsFromConfig } from '../../surfaces/http/body-limits.js';
import { sendError, sendJson } from '../../surfaces/http/respond.js';
import { httpFailure, SandboxError } from '../sandbox/errors.js';
import { responseHead } from './app-response.js';
import { toAppRequest } from './parse-request.js';

/** `/api/*` on an app's host runs its api/main.js; apps without one fall through to static files. */
export function apiHandler(kernel: Kernel) {
  const bodyLimits = bodyLimitsFromConfig(kernel.config.extra);
  return async function handleAppApi(req: IncomingMessage, res: ServerResponse, route: RouteInfo): Promise<boolean> {
    const path = route.path;
    if (route.hostKind !== 'app' || !(path === '/api' || path.startsWith('/api/'))) return false;
    const app = kernel.services.apps.find(route.slug);
    if (!app) return false;
    const runtime = kernel.services.runtime;
    const runner = runtime.runnerFor(app);
    if (!runner) return false;
    const started = performance.now();
    const requestId = route.requestId;
    let status = 500;
    let bytes = 0;
    res.setHeader('x-request-id', requestId);
    try {
      const limit = runner.spec.limits.maxBodyBytes;
      const raw = await readBody(req, limit).catch((err: unknown) => {
        throw toOpError(err).code === 'TOO_LARGE' ? new OpError('TOO_LARGE', `The request body is larger than this app's limit of ${limit} bytes.`, { limit }) : err;
      });
      const appReq = await toAppRequest(req, route.url, raw, requestId, bodyLimits);
      const out = await runner.request(appReq, { requestId, userId: runtime.userResolver(req) });
      const head = responseHead(out, (name) => res.hasHeader(name));
      status = head.status;
      res.writeHead(status, head.headers);
      res.end(req.method === 'HEAD' || !head.hasBody ? undefined : out.body);
      bytes = out.body.length;
    } catch (err) {
      if (err instanceof SandboxError) {
        runtime.report(app, requestId, err, `${req.method} ${path} failed`);
        const f = httpFailure(err);
        status = f.status;
        bytes = sendJson(res, status, { error: { code: f.code, kind: err.kind, message: err.message, requestId } }, f.headers);
      } else {
        const e = toOpError(err);
        status = e.code === 'TOO_LARGE' ? 413 : e.code === 'BAD_INPUT' ? 400 : 500;
        if (status === 413) res.setHeader('connection', 'close');
        if (status === 500) kernel.services.logs.write({ appId: app.id, level: 'error', message: `${req.method} ${path} failed: ${e.message}`, requestId });
        bytes = sendError(res, new OpError(e.code, e.message, { ...e.details, requestId }));
      }
    } finally {
      kernel.requests.emit({ appId: app.id, slug: app.slug, kind: 'api', method: req.method ?? 'GET', path, status, durationMs: performance.now() - started, bytes, requestId });
    }
    return true;
  };
}
