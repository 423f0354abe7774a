import { OAuthError } from './oauth-error.js';
import { redirectUriProblem } from './redirect-uri.js';

export type AuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';
const AUTH_METHODS: AuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post'];
const GRANT_TYPES = ['authorization_code', 'refresh_token'];

/** What fazt keeps of a client's metadata, from a registration or a metadata document. */
export interface ClientMetadata {
  name: string;
  uri: string | null;
  redirectUris: string[];
  grantTypes: string[];
  authMethod: AuthMethod;
}

export const MAX_REDIRECT_URIS = 10;

function bad(message: string): never {
  throw new OAuthError('invalid_client_metadata', message);
}

function optionalString(doc: Record<string, unknown>, key: string, max: number): string | undefined {
  const v = doc[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > max) bad(`${key} must be a string of at most ${max} characters.`);
  return v;
}

function stringList(doc: Record<string, unknown>, key: string): string[] | undefined {
  const v = doc[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) bad(`${key} must be an array of strings.`);
  return v as string[];
}

/**
 * Checks the RFC 7591 fields fazt acts on. Other fields are ignored, as RFC 7591 §2
 * requires of a server ("MUST ignore any client metadata ... it does not understand"):
 * real clients send many (logo_uri, contacts, software_id ...), and refusing them
 * would lock those clients out.
 */
export function parseClientMetadata(doc: unknown, opts: { allowSecret: boolean }): ClientMetadata {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) bad('The client metadata must be a JSON object.');
  const d = doc as Record<string, unknown>;
  const redirectUris = stringList(d, 'redirect_uris');
  if (!redirectUris || redirectUris.length === 0) throw new OAuthError('invalid_redirect_uri', 'redirect_uris is required: at least one URI.');
  if (redirectUris.length > MAX_REDIRECT_URIS) throw new OAuthError('invalid_redirect_uri', `redirect_uris: at most ${MAX_REDIRECT_URIS} URIs.`);
  for (const r of redirectUris) {
    const problem = redirectUriProblem(r);
    if (problem) throw new OAuthError('invalid_redirect_uri', `redirect_uris: ${problem}.`);
  }
  const grantTypes = stringList(d, 'grant_types') ?? ['authorization_code'];
  const unknownGrant = grantTypes.find((g) => !GRANT_TYPES.includes(g));
  if (unknownGrant) bad(`grant_types: '${unknownGrant}' is not supported; supported: ${GRANT_TYPES.join(', ')}.`);
  if (!grantTypes.includes('authorization_code')) bad('grant_types must include authorization_code.');
  const responseTypes = stringList(d, 'response_types') ?? ['code'];
  if (responseTypes.some((r) => r !== 'code')) bad("response_types: only 'code' is supported.");
  const method = optionalString(d, 'token_endpoint_auth_method', 40) ?? (opts.allowSecret ? 'client_secret_basic' : 'none');
  if (!AUTH_METHODS.includes(method as AuthMethod)) bad(`token_endpoint_auth_method: '${method}' is not supported; supported: ${AUTH_METHODS.join(', ')}.`);
  if (!opts.allowSecret && method !== 'none') bad("token_endpoint_auth_method must be 'none' for a client identified by a metadata document.");
  const uri = optionalString(d, 'client_uri', 2000) ?? null;
  if (uri !== null && !/^https?:\/\//.test(uri)) bad('client_uri must be an http(s) URL.');
  const name = optionalString(d, 'client_name', 100)?.trim() || new URL(uri ?? redirectUris[0]).host || 'Unnamed client';
  return { name, uri, redirectUris, grantTypes, authMethod: method as AuthMethod };
}
