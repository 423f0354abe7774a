import { createHash, randomBytes } from 'node:crypto';
import { consent, type ConsentOptions } from './oauth-client.js';

export interface Registered {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
}

export async function register(base: string, body: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(`${base}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: r.status, json: await r.json() };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** An authorization URL as a client builds it; `set` overrides or (with null) removes parameters. */
export function authorizeUrl(base: string, clientId: string, redirectUri: string, challenge: string, set: Record<string, string | null> = {}): URL {
  const u = new URL('/authorize', base);
  const params: Record<string, string | null> = {
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256',
    state: 's1', resource: `${base}/mcp`, ...set,
  };
  for (const [k, v] of Object.entries(params)) if (v !== null) u.searchParams.set(k, v);
  return u;
}

export async function tokenRequest(base: string, params: Record<string, string>): Promise<{ status: number; json: any }> {
  const r = await fetch(`${base}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
  return { status: r.status, json: await r.json() };
}

/** Registration, consent by owner key and the code: what a client holds before calling /token. */
export async function codeFor(base: string, ownerKey: string, client: Registered, opts: ConsentOptions & { redirectUri?: string } = {}) {
  const { verifier, challenge } = pkce();
  const redirectUri = opts.redirectUri ?? client.redirect_uris[0];
  const answer = await consent(authorizeUrl(base, client.client_id, redirectUri, challenge), { ownerKey, ...opts });
  if (answer.status !== 302) throw new Error(`consent answered ${answer.status}: ${answer.html.slice(0, 500)}`);
  const code = new URL(answer.location!).searchParams.get('code');
  if (!code) throw new Error(`no code in ${answer.location}`);
  return { code, verifier, redirectUri };
}
