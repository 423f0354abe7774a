import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kernel } from '../kernel/kernel.js';
import { clientIp } from '../surfaces/http/auth-failure.js';
import { readBody, readJson } from '../surfaces/http/body.js';
import { requestOrigin } from '../surfaces/http/origin.js';
import type { ClientStore, OAuthClient } from './clients.js';
import type { Grants } from './grants.js';
import { OAuthError, sendOAuthError, sendOAuthJson } from './oauth-error.js';

const FORM_LIMIT = 16 * 1024;
const REGISTRATION_LIMIT = 16 * 1024;

interface Deps {
  kernel: Kernel;
  clients: ClientStore;
  grants: Grants;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (req.method !== 'POST') throw new OAuthError('invalid_request', 'Use POST.', 405);
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
  const form = new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));
  for (const key of new Set(form.keys())) {
    if (form.getAll(key).length > 1) throw new OAuthError('invalid_request', `The parameter ${key} appears more than once.`);
  }
  return form;
}

/** Client authentication: HTTP Basic (RFC 6749 §2.3.1, form-encoded parts) or client_id/client_secret in the body. */
function authenticateClient(clients: ClientStore, req: IncomingMessage, form: URLSearchParams): OAuthClient {
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'Malformed Basic credentials.');
    const id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
    if (form.get('client_id') && form.get('client_id') !== id) throw new OAuthError('invalid_request', 'client_id in the body differs from the Basic credentials.');
    return clients.authenticate(id, decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')));
  }
  return clients.authenticate(form.get('client_id') ?? undefined, form.get('client_secret') ?? undefined);
}

/** POST /token: authorization_code and refresh_token grants. */
export function tokenEndpoint(deps: Deps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const form = await readForm(req);
      const client = authenticateClient(deps.clients, req, form);
      const grantType = form.get('grant_type');
      if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
        throw new OAuthError('unsupported_grant_type', `grant_type must be authorization_code or refresh_token${grantType ? `, not '${grantType}'` : ''}.`);
      }
      if (!client.grantTypes.includes(grantType)) throw new OAuthError('unauthorized_client', `This client is not registered for the ${grantType} grant.`);
      const resource = form.get('resource') ?? undefined;
      if (grantType === 'authorization_code') {
        const code = form.get('code');
        if (!code) throw new OAuthError('invalid_request', 'code is required.');
        return sendOAuthJson(res, 200, deps.grants.exchangeCode(client, { code, verifier: form.get('code_verifier') ?? undefined, redirectUri: form.get('redirect_uri') ?? undefined, resource }));
      }
      {
        const refreshToken = form.get('refresh_token');
        if (!refreshToken) throw new OAuthError('invalid_request', 'refresh_token is required.');
        return sendOAuthJson(res, 200, deps.grants.refresh(client, { refreshToken, scope: form.get('scope') ?? undefined, resource }));
      }
    } catch (err) {
      sendOAuthError(res, err);
    }
  };
}

/** POST /revoke (RFC 7009): always 200 for a token the client cannot or need not revoke. */
export function revokeEndpoint(deps: Deps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const form = await readForm(req);
      const client = authenticateClient(deps.clients, req, form);
      const token = form.get('token');
      if (!token) throw new OAuthError('invalid_request', 'token is required.');
      deps.grants.revokeToken(client, token);
      sendOAuthJson(res, 200, {});
    } catch (err) {
      sendOAuthError(res, err);
    }
  };
}

/** POST /register (RFC 7591). */
export function registerEndpoint(deps: Deps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (req.method !== 'POST') throw new OAuthError('invalid_request', 'Use POST.', 405);
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new OAuthError('invalid_client_metadata', 'The body must be application/json.');
      let doc: unknown;
      try {
        doc = await readJson(req, REGISTRATION_LIMIT);
      } catch (err) {
        if ((err as { code?: string }).code === 'TOO_LARGE') throw err;
        throw new OAuthError('invalid_client_metadata', `The body is not valid JSON: ${(err as Error).message}`);
      }
      const { client, secret } = deps.clients.register(doc, clientIp(req));
      sendOAuthJson(res, 201, {
        client_id: client.clientId,
        client_id_issued_at: Math.floor(Date.parse(client.createdAt) / 1000),
        ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
        client_name: client.name,
        ...(client.uri ? { client_uri: client.uri } : {}),
        redirect_uris: client.redirectUris,
        grant_types: client.grantTypes,
        response_types: ['code'],
        token_endpoint_auth_method: client.authMethod,
      });
    } catch (err) {
      sendOAuthError(res, err);
    }
  };
}

/** RFC 8414 metadata. The issuer is this server's origin, as the client reached it. */
export function metadataDocument(kernel: Kernel, req: IncomingMessage, scopes: string[]): Record<string, unknown> {
  const issuer = requestOrigin(kernel, req);
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    revocation_endpoint: `${issuer}/revoke`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    scopes_supported: scopes,
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${issuer}/`,
  };
}
