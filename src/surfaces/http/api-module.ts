import type { KernelModule } from '../../kernel/module.js';
import { opsRoute } from './ops-route.js';
import { sendJson } from './respond.js';

/** The admin API on kernel hosts: health check, protected-resource metadata, ops. */
export const httpApiModule: KernelModule = {
  name: 'http-api',
  init(kernel) {
    kernel.useHttp(10, (req, res, route) => {
      if (route.hostKind !== 'kernel') return false;
      const p = route.url.pathname;
      if (p === '/api/health') return (sendJson(res, 200, { ok: true, name: 'fazt' }), true);
      if (p === '/.well-known/oauth-protected-resource' || p.startsWith('/.well-known/oauth-protected-resource/')) {
        const base = `http://${req.headers.host ?? `${kernel.config.host}:${kernel.config.port}`}`;
        sendJson(res, 200, {
          resource: `${base}/mcp`,
          authorization_servers: [],
          bearer_methods_supported: ['header'],
          scopes_supported: ['kernel:*', 'kernel:apps:read', 'kernel:apps:write', 'kernel:storage:*', 'kernel:pulse:read', 'app:<id>:*', 'app:<id>:read'],
          resource_documentation: `${base}/`,
          resource_name: 'fazt',
        });
        return true;
      }
      return false;
    });
    kernel.useHttp(20, opsRoute(kernel), (r) => r.hostKind === 'kernel' && r.url.pathname.startsWith('/api/ops/'));
  },
};
