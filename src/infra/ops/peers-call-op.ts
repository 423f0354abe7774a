import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import type { Kernel } from '../../kernel/kernel.js';
import { didYouMean } from '../../kernel/ops/did-you-mean.js';
import { OpError } from '../../kernel/ops/errors.js';
import type { Risk } from '../../kernel/ops/define.js';
import { WRITE } from './common.js';
import { resolveServer, serverRef } from './vps-schemas.js';

const input = z.object({
  id: serverRef,
  op: z.string().min(1).max(100).describe('The op to run there, e.g. apps.create'),
  args: z.record(z.string(), z.unknown()).default({}).describe("The op's input, as that server's API takes it (JSON)"),
});

/** The op as this node defines it (both run the same fazt): the risk the call is judged by here. */
function remoteOp(kernel: Kernel, name: string) {
  const op = kernel.registry.get(name);
  if (!op) {
    const hint = didYouMean(name, kernel.registry.list().map((o) => o.name));
    throw new OpError('BAD_INPUT', `Unknown op '${name}'${hint ? `; did you mean '${hint}'?` : ''}. See 'fazt ops' for the list.`);
  }
  if (op.humanOnly) throw new OpError('FORBIDDEN', `${name} is done only by a person, in person, on that server.`);
  return op;
}

/** An op whose risk depends on its input is judged at its worst: this node cannot see the other's state. */
const riskOf = (kernel: Kernel, name: string): Risk => {
  const op = kernel.registry.get(name);
  if (!op) return 'read';
  return op.riskOf ? 'destructive' : op.risk;
};

export const infraPeersCall = defineOp({
  name: 'infra.peers.call',
  title: 'Run an op on another fazt node',
  description:
    "Runs one op on the fazt of a server this node created (infra.vps.create with installFazt), with the token that server gave this node: it may read the server's health and put apps on it (apps.create, apps.domains.add, net.ssl.provision and their reads), nothing else. The call is judged here by the op's own risk (a destructive one waits for the owner's approval), audited here and there, and that server's answer or error is returned as it is.",
  input,
  output: z.object({ server: z.string(), op: z.string(), output: z.unknown() }),
  requires: WRITE,
  risk: 'write',
  riskOf: (i, kernel) => riskOf(kernel, i.op),
  openWorld: true,
  describeHalt: (i) => `Run ${i.op} on server ${i.id}.`,
  cli: { command: ['infra', 'peers', 'call'], positional: ['id', 'op'] },
  handler: async ({ kernel, signal }, i) => {
    remoteOp(kernel, i.op);
    const { record } = resolveServer(kernel, i.id);
    if (!record) throw new OpError('NOT_FOUND', `fazt did not create server '${i.id}', so it holds no token for it.`);
    return { server: record.id, op: i.op, output: await kernel.services.infra.callPeer(record, i.op, i.args, signal) };
  },
});
