import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { totpEnabled, requireTotp } from '../auth/totp.js';
import type { Kernel, RouteInfo } from '../kernel/kernel.js';
import { toOpError } from '../kernel/ops/errors.js';
import { checkFormNonce, makeFormNonce } from '../notify/approvals/form-nonce.js';
import { clientIp } from '../surfaces/http/auth-failure.js';
import { readBody } from '../surfaces/http/body.js';
import { requestOrigin } from '../surfaces/http/origin.js';
import { AUTHORIZE_PARAMS, parseAuthorizeRequest, redirectWith, UntrustedRedirect, type AuthorizeRequest } from './authorize-request.js';
import type { ClientStore } from './clients.js';
import { appOfResource, consentChoices, grantedCaps } from './consent-choices.js';
import { consentPage, errorPage, sendConsentPage } from './consent-page.js';
import type { Grants } from './grants.js';
import { isOwnerKey, KeyAttempts, ownerSessions } from './owner-auth.js';

const FORM_LIMIT = 16 * 1024;

interface Deps {
  kernel: Kernel;
  clients: ClientStore;
  grants: Grants;
}

/** Binds a form nonce to the exact authorization request the page showed. */
function requestDigest(params: URLSearchParams): string {
  const h = createHash('sha256');
  for (const n of AUTHORIZE_PARAMS) h.update(`${n}\0${params.get(n) ?? ''}\0`);
  return h.digest('base64url');
}

/** Back to this request after signing in: only the authorization parameters, never what the form carried (keys, codes). */
function loginUrl(params: URLSearchParams): string {
  const only = new URLSearchParams();
  for (const n of AUTHORIZE_PARAMS) {
    const v = params.get(n);
    if (v !== null) only.set(n, v);
  }
  return `/login?next=${encodeURIComponent(`/authorize?${only}`)}`;
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'content-length': '0' });
  res.end();
}

/**
 * GET /authorize shows the consent page (deciding nothing); POST /authorize,
 * from that page, decides: the owner proves who they are (signed-in session with
 * its CSRF token, or the owner key with this page's nonce) and picks the capabilities.
 */
export function authorizeRoute(deps: Deps) {
  const formKey = randomBytes(32);
  const attempts = new KeyAttempts();
  return async (req: IncomingMessage, res: ServerResponse, route: RouteInfo): Promise<void> => {
    const url = route.url;
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, HEAD, POST', 'content-length': '0' });
      return void res.end();
    }
    const origin = requestOrigin(deps.kernel, req);
    let params: URLSearchParams;
    if (req.method === 'POST') {
      // A form posted from another site is refused before anything else is read.
      const from = req.headers.origin;
      if (from !== undefined && from !== origin) return sendConsentPage(res, 403, errorPage('Refused', 'This form was sent from another site.'));
      if (req.headers['sec-fetch-site'] === 'cross-site') return sendConsentPage(res, 403, errorPage('Refused', 'This form was sent from another site.'));
      try {
        params = new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));
      } catch {
        res.setHeader('connection', 'close');
        return sendConsentPage(res, 413, errorPage('Request too large', 'The form is larger than this page ever sends.'));
      }
    } else params = url.searchParams;

    let parsed: Awaited<ReturnType<typeof parseAuthorizeRequest>>;
    try {
      parsed = await parseAuthorizeRequest(params, origin, (id) => deps.clients.resolve(id, clientIp(req)));
    } catch (err) {
      if (err instanceof UntrustedRedirect) return sendConsentPage(res, 400, errorPage('This connection request is not valid', err.message));
      throw err;
    }
    if (!parsed.ok) {
      return redirect(res, redirectWith(parsed.redirectUri, { error: parsed.error.code, error_description: parsed.error.message, state: parsed.state, iss: origin }));
    }
    const request = parsed.request;
    const target = appOfResource(deps.kernel, request.resource);
    if (target.slug && !target.app) {
      return redirect(res, redirectWith(request.redirectUri, { error: 'invalid_target', error_description: `No app '${target.slug}' serves MCP here.`, state: request.state, iss: origin }));
    }
    const sessions = ownerSessions(deps.kernel);
    const session = sessions?.fromRequest(req) ?? null;
    const view = (notice?: string, ticked?: string[]) =>
      consentPage({
        request, params, choices: consentChoices(deps.kernel, request.resource), ticked, totp: totpEnabled(deps.kernel), notice,
        ...(session && sessions
          ? { csrf: sessions.csrfToken(session.sessionId) }
          : { nonce: makeFormNonce(formKey, requestDigest(params)), loginUrl: sessions ? loginUrl(params) : undefined }),
      });
    if (req.method !== 'POST') return sendConsentPage(res, 200, view(), request.redirectUri);

    // Session path: its CSRF token. Owner-key path: this page's nonce.
    const viaSession = !!(session && sessions && sessions.checkCsrf(session.sessionId, params.get('csrf') ?? ''));
    if (!viaSession && !checkFormNonce(formKey, requestDigest(params), params.get('nonce') ?? undefined)) {
      return sendConsentPage(res, 400, errorPage('This form was not sent from the consent page', 'Open the connection request again and use its buttons.'));
    }
    if (params.get('decision') === 'deny') {
      return redirect(res, redirectWith(request.redirectUri, { error: 'access_denied', error_description: 'The owner denied access.', state: request.state, iss: origin }));
    }
    if (params.get('decision') !== 'allow') return sendConsentPage(res, 400, view('Choose Allow or Deny.'), request.redirectUri);
    const ticked = params.getAll('cap');
    if (!viaSession) {
      const address = clientIp(req);
      const wait = attempts.blocked(address);
      if (wait !== undefined) return sendConsentPage(res, 429, view(`Too many wrong owner keys from your address. Try again in ${wait} s.`, ticked), request.redirectUri);
      if (!isOwnerKey(deps.kernel, params.get('owner_key'))) {
        attempts.fail(address);
        deps.kernel.audit.authFailures.record({ op: 'oauth.consent', surface: 'http', reason: 'owner-key', ip: address, requestId: route.requestId });
        return sendConsentPage(res, 401, view('That is not the owner key.', ticked), request.redirectUri);
      }
    }
    try {
      requireTotp(deps.kernel, params.get('code')?.trim() || undefined);
    } catch (err) {
      return sendConsentPage(res, 401, view(toOpError(err).message.replace('pass --code with', 'enter'), ticked), request.redirectUri);
    }
    const granted = grantedCaps(deps.kernel, ticked, request.resource);
    if ('problem' in granted) return sendConsentPage(res, 400, view(granted.problem, ticked), request.redirectUri);
    const code = issue(deps, request, granted.caps, viaSession ? 'session' : 'owner key', req);
    redirect(res, redirectWith(request.redirectUri, { code, state: request.state, iss: origin }));
  };
}

function issue(deps: Deps, request: AuthorizeRequest, caps: string[], via: string, req: IncomingMessage): string {
  const code = deps.grants.issueCode({ client: request.client, redirectUri: request.redirectUri, challenge: request.challenge, resource: request.resource, caps });
  deps.kernel.audit.record({
    op: 'oauth.consent',
    caller: { kind: 'owner', name: `owner (${via})`, caps: [], human: true },
    surface: 'http',
    input: { client: request.client.clientId, clientName: request.client.name, resource: request.resource, caps, from: clientIp(req) },
    outcome: 'ok',
    durationMs: 0,
  });
  return code;
}
