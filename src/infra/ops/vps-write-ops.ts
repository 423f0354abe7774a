import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { peerTokenName } from '../infra-service.js';
import { serverId } from '../servers-store.js';
import { WRITE } from './common.js';
import { resolveServer, serverRef } from './vps-schemas.js';

export const infraVpsReboot = defineOp({
  name: 'infra.vps.reboot',
  title: 'Reboot a server',
  description: 'Reboots a server and waits for the provider to finish; a local one is stopped and started again.',
  input: z.object({ id: serverRef }),
  output: z.object({ id: z.string(), rebooted: z.literal(true) }),
  requires: WRITE,
  risk: 'write',
  openWorld: true,
  cli: { command: ['infra', 'vps', 'reboot'], positional: ['id'] },
  handler: async ({ kernel, signal }, input) => {
    const { provider, providerId } = resolveServer(kernel, input.id);
    await kernel.services.infra.vps(provider, signal).reboot(providerId);
    return { id: serverId(provider, providerId), rebooted: true as const };
  },
});

export const infraVpsDestroy = defineOp({
  name: 'infra.vps.destroy',
  title: 'Destroy a server',
  description: 'Deletes a server and everything on its disks (a local one: stops it and removes its data dir). Halts for approval.',
  input: z.object({ id: serverRef }),
  output: z.object({ id: z.string(), destroyed: z.literal(true) }),
  requires: WRITE,
  risk: 'destructive',
  openWorld: true,
  cli: { command: ['infra', 'vps', 'destroy'], positional: ['id'] },
  describeHalt: (input, kernel) => {
    const rec = kernel.services.infra.servers.get(input.id) ?? kernel.services.infra.servers.list().find((r) => r.name === input.id);
    return rec ? `Destroy server '${rec.name}' (${rec.id}, ${rec.type} in ${rec.region}): its disks and everything on them are deleted.` : `Destroy server ${input.id}: its disks and everything on them are deleted.`;
  },
  handler: async ({ kernel, signal }, input) => {
    const infra = kernel.services.infra;
    const { provider, providerId } = resolveServer(kernel, input.id);
    await infra.vps(provider, signal).destroy(providerId);
    const id = serverId(provider, providerId);
    const rec = infra.servers.get(id);
    if (rec?.regTokenId) kernel.tokens.revoke(rec.regTokenId);
    infra.servers.remove(id);
    kernel.services.secrets.delete(peerTokenName(id));
    return { id, destroyed: true as const };
  },
});
