import { z } from 'zod';
import { defineOp, type AnyOp } from '../kernel/ops/define.js';
import { OpError } from '../kernel/ops/errors.js';

const client = z.object({
  clientId: z.string(),
  kind: z.enum(['registered', 'document']),
  name: z.string(),
  uri: z.string().nullable(),
  redirectUris: z.array(z.string()),
  createdAt: z.string(),
});

const grant = z.object({
  id: z.string(),
  clientId: z.string(),
  clientName: z.string().nullable(),
  resource: z.string(),
  caps: z.array(z.string()),
  accessTokenId: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedReason: z.string().nullable(),
});

function service(kernel: { services: { oauth?: unknown } }) {
  const s = kernel.services.oauth as import('./module.js').OAuthService | undefined;
  if (!s) throw new OpError('NOT_FOUND', 'The OAuth authorization server is not running on this server.');
  return s;
}

export const oauthClientsList = defineOp({
  name: 'oauth.clients.list',
  title: 'List OAuth clients',
  description: 'Lists the applications known to the OAuth server: registered ones and those identified by a metadata document URL.',
  input: z.object({}),
  output: z.object({ clients: z.array(client) }),
  requires: 'kernel:auth:read',
  risk: 'read',
  cli: { command: ['oauth', 'clients'] },
  handler: ({ kernel }) => ({
    clients: service(kernel).clients.list().map((c) => ({ clientId: c.clientId, kind: c.kind, name: c.name, uri: c.uri, redirectUris: c.redirectUris, createdAt: c.createdAt })),
  }),
});

export const oauthGrantsList = defineOp({
  name: 'oauth.grants.list',
  title: 'List OAuth grants',
  description: 'Lists what the owner granted OAuth clients: client, MCP endpoint, capabilities and the current access token id.',
  input: z.object({ all: z.boolean().default(false).describe('Include revoked grants') }),
  output: z.object({ grants: z.array(grant) }),
  requires: 'kernel:auth:read',
  risk: 'read',
  cli: { command: ['oauth', 'grants'] },
  handler: ({ kernel }, input) => {
    const s = service(kernel);
    return { grants: s.grants.list(input.all).map((g) => ({ ...g, clientName: s.clients.get(g.clientId)?.name ?? null })) };
  },
});

export const oauthGrantsRevoke = defineOp({
  name: 'oauth.grants.revoke',
  title: 'Revoke OAuth grant',
  description: 'Revokes a grant: its access token stops working at once and its refresh token can no longer be used.',
  input: z.object({ id: z.string().min(1) }),
  output: z.object({ revoked: z.literal(true), id: z.string() }),
  requires: 'kernel:auth:write',
  risk: 'write',
  cli: { command: ['oauth', 'revoke'], positional: ['id'] },
  handler: ({ kernel }, input) => {
    const s = service(kernel);
    const g = s.grants.grant(input.id);
    if (!g || g.revokedAt) throw new OpError('NOT_FOUND', `No live OAuth grant '${input.id}'. Run 'fazt oauth grants' to see them.`);
    s.grants.revoke(g.id, 'revoked by the owner');
    return { revoked: true as const, id: g.id };
  },
});

export const oauthOps: AnyOp[] = [oauthClientsList, oauthGrantsList, oauthGrantsRevoke];
