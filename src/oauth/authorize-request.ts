import type { OAuthClient } from './clients.js';
import { OAuthError } from './oauth-error.js';
import { redirectUriMatches } from './redirect-uri.js';
import { CHALLENGE_RE } from './secrets.js';

/** The parameters of an authorization request that the consent form carries back. */
export const AUTHORIZE_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'code_challenge', 'code_challenge_method', 'state', 'scope', 'resource'] as const;

export interface AuthorizeRequest {
  client: OAuthClient;
  redirectUri: string;
  challenge: string;
  state: string | null;
  /** What the client asked for; the owner decides what is granted. */
  requestedScope: string[];
  /** Absolute URL of the MCP endpoint the token will be good for (RFC 8707). */
  resource: string;
}

/** Failures we must not send to the redirect URI: it is not (yet) known to belong to the client. */
export class UntrustedRedirect extends Error {}

/** /mcp or /mcp/apps/<slug> on this server's origin: the only resources this server issues tokens for. */
export function resourceProblem(resource: string, origin: string): string | undefined {
  let u: URL;
  try {
    u = new URL(resource);
  } catch {
    return `resource '${resource}' is not an absolute URL.`;
  }
  if (u.origin !== origin) return `resource '${resource}' is not on this server (${origin}).`;
  if (u.search || u.hash || !/^\/mcp(\/apps\/[a-z0-9-]{1,63})?$/.test(u.pathname)) return `resource '${resource}' is not an MCP endpoint of this server: use ${origin}/mcp or ${origin}/mcp/apps/<app>.`;
  return undefined;
}

/**
 * Checks an authorization request in RFC 6749 §4.1.2.1 order: client and
 * redirect URI first (failures shown to the person, never redirected), then
 * everything else (sent back to the client's redirect URI as an error).
 */
export async function parseAuthorizeRequest(
  params: URLSearchParams,
  origin: string,
  resolveClient: (id: string) => Promise<OAuthClient>,
): Promise<{ ok: true; request: AuthorizeRequest } | { ok: false; redirectUri: string; state: string | null; error: OAuthError }> {
  for (const name of AUTHORIZE_PARAMS) {
    if (params.getAll(name).length > 1) throw new UntrustedRedirect(`The parameter ${name} appears more than once.`);
  }
  let client: OAuthClient;
  try {
    client = await resolveClient(params.get('client_id') ?? '');
  } catch (err) {
    throw new UntrustedRedirect(err instanceof OAuthError ? err.message : `The client could not be identified: ${(err as Error).message}`);
  }
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) throw new UntrustedRedirect('redirect_uri is required.');
  if (!redirectUriMatches(client.redirectUris, redirectUri)) throw new UntrustedRedirect(`redirect_uri '${redirectUri}' is not registered for ${client.name}.`);
  const state = params.get('state');
  const fail = (error: OAuthError) => ({ ok: false as const, redirectUri, state, error });
  if (params.get('response_type') !== 'code') return fail(new OAuthError('unsupported_response_type', "response_type must be 'code'."));
  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method');
  if (!challenge) return fail(new OAuthError('invalid_request', 'code_challenge is required: PKCE with S256.'));
  if (method !== 'S256') return fail(new OAuthError('invalid_request', `code_challenge_method must be S256${method ? `, not '${method}'` : ''}.`));
  if (!CHALLENGE_RE.test(challenge)) return fail(new OAuthError('invalid_request', 'code_challenge must be 43 base64url characters (S256).'));
  const resource = params.get('resource') ?? `${origin}/mcp`;
  const problem = resourceProblem(resource, origin);
  if (problem) return fail(new OAuthError('invalid_target', problem));
  const requestedScope = (params.get('scope') ?? '').split(' ').filter(Boolean).slice(0, 100);
  return { ok: true, request: { client, redirectUri, challenge, state, requestedScope, resource } };
}

/** Where the browser goes back to: the redirect URI with the answer in its query (and `iss`, RFC 9207). */
export function redirectWith(redirectUri: string, values: Record<string, string | null | undefined>): string {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined) u.searchParams.set(k, v);
  return u.href;
}
