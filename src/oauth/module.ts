import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseDuration } from '../auth/tokens.js';
import type { Kernel, RouteInfo } from '../kernel/kernel.js';
import type { KernelModule } from '../kernel/module.js';
import { sendError } from '../surfaces/http/respond.js';
import { authorizeRoute } from './authorize-route.js';
import { DEFAULT_FETCH_LIMITS, type FetchLimits } from './cimd-fetch.js';
import { ClientStore } from './clients.js';
import { consentChoices } from './consent-choices.js';
import { metadataDocument, registerEndpoint, revokeEndpoint, tokenEndpoint } from './endpoints.js';
import { Grants, type Lifetimes } from './grants.js';
import { oauthMigrations } from './migrations.js';
import { sendOAuthJson } from './oauth-error.js';
import { oauthOps } from './ops.js';

export interface OAuthService {
  clients: ClientStore;
  grants: Grants;
  /** The resource path (/mcp, /mcp/apps/<slug>) a token issued here is bound to; undefined for other tokens. */
  audienceOf(tokenId: string): string | undefined;
  /** The capabilities a client may be granted, as OAuth scopes: for the kernel, or for the resource (an app's MCP endpoint URL). */
  scopes(resource?: string): string[];
}

declare module '../kernel/services.js' {
  interface Services {
    oauth?: OAuthService;
  }
}

const PATHS = new Set(['/.well-known/oauth-authorization-server', '/authorize', '/token', '/register', '/revoke']);

function duration(extra: Record<string, string>, key: string, fallback: string): number {
  const raw = extra[key];
  const ms = parseDuration(raw ?? fallback);
  if (ms === null || ms <= 0) throw new Error(`${key} must be a duration such as 60s, 1h or 30d, got '${raw}'.`);
  return ms;
}

function whole(extra: Record<string, string>, key: string, fallback: number): number {
  const raw = extra[key];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${key} must be a whole number of at least 1, got '${raw}'.`);
  return n;
}

/**
 * `--set oauth.codeTtl=60s oauth.accessTokenTtl=1h oauth.refreshTokenTtl=30d oauth.maxClients=500
 * oauth.registrationsPerHour=20 oauth.cimd.fetchesPerMinute=10 oauth.cimd.timeout=5s`. For tests of client metadata documents served from this machine:
 * `oauth.cimd.allowPrivateOrigins=https://127.0.0.1:8443` and `oauth.cimd.caFile=<pem>`.
 */
function settings(extra: Record<string, string>): { lifetimes: Lifetimes; fetch: FetchLimits; maxClients: number; perAddressPerHour: number; fetchesPerMinute: number } {
  const origins = (extra['oauth.cimd.allowPrivateOrigins'] ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const o of origins) {
    if (!/^https:\/\/[^/]+$/.test(o)) throw new Error(`oauth.cimd.allowPrivateOrigins: '${o}' is not an https origin such as https://127.0.0.1:8443.`);
  }
  const caFile = extra['oauth.cimd.caFile'];
  return {
    lifetimes: { codeMs: duration(extra, 'oauth.codeTtl', '60s'), accessMs: duration(extra, 'oauth.accessTokenTtl', '1h'), refreshMs: duration(extra, 'oauth.refreshTokenTtl', '30d') },
    fetch: { ...DEFAULT_FETCH_LIMITS, timeoutMs: duration(extra, 'oauth.cimd.timeout', '5s'), allowPrivateOrigins: new Set(origins), ca: caFile ? readFileSync(caFile, 'utf8') : undefined },
    maxClients: whole(extra, 'oauth.maxClients', 500),
    perAddressPerHour: whole(extra, 'oauth.registrationsPerHour', 20),
    fetchesPerMinute: whole(extra, 'oauth.cimd.fetchesPerMinute', 10),
  };
}

/** OAuth 2.1 authorization server for MCP clients, at the root of the kernel host. */
export const oauthModule: KernelModule = {
  name: 'oauth',
  migrations: oauthMigrations,
  ops: oauthOps,
  init(kernel) {
    const s = settings(kernel.config.extra);
    const clients = new ClientStore(kernel.db, s.fetch, { maxClients: s.maxClients, perAddressPerHour: s.perAddressPerHour, fetchesPerMinute: s.fetchesPerMinute });
    const grants = new Grants(kernel, s.lifetimes);
    let scopes: string[] | undefined;
    kernel.services.oauth = {
      clients,
      grants,
      audienceOf: (id) => grants.audienceOf(id),
      scopes: (resource) => (resource ? consentChoices(kernel, resource).map((c) => c.cap) : (scopes ??= consentChoices(kernel).map((c) => c.cap))),
    };
    const deps = { kernel, clients, grants };
    const authorize = authorizeRoute(deps);
    const token = tokenEndpoint(deps);
    const register = registerEndpoint(deps);
    const revoke = revokeEndpoint(deps);
    const handle = async (req: IncomingMessage, res: ServerResponse, route: RouteInfo): Promise<boolean> => {
      const browserReadable = route.path !== '/authorize';
      // Browser-based MCP clients call these cross-origin; they carry no cookies, so any origin may.
      if (browserReadable) res.setHeader('access-control-allow-origin', '*');
      if (browserReadable && req.method === 'OPTIONS') {
        res.writeHead(204, { 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': 'authorization, content-type, mcp-protocol-version', 'access-control-max-age': '600' });
        res.end();
        return true;
      }
      try {
        switch (route.path) {
          case '/.well-known/oauth-authorization-server':
            sendOAuthJson(res, 200, metadataDocument(kernel, req, kernel.services.oauth!.scopes()), { 'cache-control': 'max-age=300' });
            break;
          case '/authorize':
            await authorize(req, res, route);
            break;
          case '/token':
            await token(req, res);
            break;
          case '/register':
            await register(req, res);
            break;
          default:
            await revoke(req, res);
        }
      } catch (err) {
        sendError(res, err);
      }
      return true;
    };
    // Before the approval links (15), the ops route (20) and the root app's static files.
    kernel.useHttp(12, handle, (r) => PATHS.has(r.path), 'kernel');
  },
};
