import type { KernelModule } from '../../kernel/module.js';
import { opsRoute } from './ops-route.js';
import { requestOrigin } from './origin.js';
import { sendJson } from './respond.js';

/** The admin API on kernel hosts: health check, protected-resource metadata, ops. */
export const httpApiModule: KernelModule = {
  name: 'http-api',
  init(kernel) {
    kernel.useHttp(10, (req, res, route) => {
      const p = route.path;
      if (p === '/api/health') return (sendJson(res, 200, { ok: true, name: 'fazt' }), true);
      if (p === '/.well-known/oauth-protected-resource' || p.startsWith('/.well-known/oauth-protected-resource/')) {
        const base = requestOrigin(kernel, req);
        // RFC 9728 §3.1: the metadata of /mcp/apps/<slug> lives at the well-known path with that suffix.
        const suffix = p.slice('/.well-known/oauth-protected-resource'.length);
        const oauth = kernel.services.oauth;
        const resource = `${base}${/^\/mcp\/apps\/[a-z0-9-]{1,63}$/.test(suffix) ? suffix : '/mcp'}`;
        sendJson(res, 200, {
          resource,
          authorization_servers: oauth ? [base] : [],
          bearer_methods_supported: ['header'],
          scopes_supported: oauth ? oauth.scopes(resource) : ['kernel:*', 'app:*'],
          resource_documentation: `${base}/`,
          resource_name: 'fazt',
        });
        return true;
      }
      return false;
    }, undefined, 'kernel');
    kernel.useHttp(20, opsRoute(kernel), (r) => r.path.startsWith('/api/ops/'), 'kernel');
  },
};
