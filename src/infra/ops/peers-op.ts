import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { peerTokenName } from '../infra-service.js';

/**
 * Called by a new server's first boot (cloud-init) with the one-time token it
 * was given: it hands over a token that may read its pulse.
 */
export const infraPeersRegister = defineOp({
  name: 'infra.peers.register',
  title: 'Register a new fazt node',
  description: 'A server created with installFazt calls this once on first boot, with the registration token it was given, to hand over a token that may read its pulse. The registration token is then revoked.',
  input: z.object({
    server: z.string().min(1).max(64).describe('The name the server was created with'),
    token: z.string().min(10).max(500).describe("A token of the new node that may read its pulse"),
    port: z.number().int().min(1).max(65535).default(8080),
  }),
  output: z.object({ id: z.string(), url: z.string(), registered: z.literal(true) }),
  requires: 'kernel:peers:write',
  risk: 'write',
  handler: async ({ kernel, caller }, input) => {
    const infra = kernel.services.infra;
    const rec = infra.servers.list().find((r) => r.name === input.server && r.provider !== 'local');
    // The registration token is bound to one server: it cannot register another.
    if (!rec || !rec.regTokenId || (caller.kind !== 'owner' && caller.tokenId !== rec.regTokenId)) {
      throw new OpError('FORBIDDEN', `This token may not register a server named '${input.server}'.`);
    }
    const s = await infra.vps(rec.provider).get(rec.providerId);
    if (!s?.ipv4) throw new OpError('UNAVAILABLE', `${rec.id} has no public IPv4 address to reach it at.`);
    const url = `http://${s.ipv4}:${input.port}`;
    kernel.services.secrets.set(peerTokenName(rec.id), input.token);
    infra.servers.update(rec.id, { peerUrl: url, peerPort: input.port, regTokenId: null });
    kernel.tokens.revoke(rec.regTokenId);
    return { id: rec.id, url, registered: true as const };
  },
});
