import type { Kernel } from '../../kernel/kernel.js';
import type { LaunchInput, LaunchStep } from '../step.js';

/** Where a launched app lives when it gets its own server: what the other steps need of it. */
export interface LaunchedServer {
  id: string;
  name: string;
  ipv4: string | null;
}

/** The record of the server the launch names, when fazt already made it. */
function known(kernel: Kernel, input: LaunchInput) {
  return input.vps && kernel.services.infra?.servers.byName(input.vps.provider, input.vps.name);
}

/** The server step's output, whether it created the server (infra.vps.create) or found it (infra.vps.status). */
export function launchedServer(output: unknown): LaunchedServer | undefined {
  const o = output as { server?: LaunchedServer } & LaunchedServer | undefined;
  const s = o?.server ?? o;
  return s?.id ? { id: s.id, name: s.name, ipv4: s.ipv4 ?? null } : undefined;
}

/**
 * The app's own server, when the launch asks for one: reused when fazt already
 * made a server of that name, else created with fazt installed. Creating costs
 * money, so the call halts once for the owner with the monthly price.
 */
export const createServer: LaunchStep = {
  key: 'server',
  title: 'Create the server',
  op: 'infra.vps.create',
  plan: (input, kernel) => {
    const v = input.vps;
    if (!v) return { detail: 'The app runs on this server.', skip: true };
    const rec = known(kernel, input);
    if (rec) return { detail: `Use the existing ${v.provider} server '${v.name}' (${rec.id}).` };
    const price = kernel.services.infra.knownPrice(v.provider, v.type, v.region);
    const cost = price ? `${price.monthly.toFixed(2)} ${price.currency}/month` : 'a monthly price shown in the approval';
    return { detail: `Create the ${v.provider} server '${v.name}' (${v.type} in ${v.region}) with fazt installed, for ${cost}; this waits for your approval.` };
  },
  call: ({ input }) => ({ provider: input.vps!.provider, name: input.vps!.name, type: input.vps!.type, region: input.vps!.region, installFazt: true }),
  done: async (ctx) => {
    const rec = known(ctx.op.kernel, ctx.input);
    if (!rec) return undefined;
    return (await ctx.probe('infra.vps.status', { id: rec.id })) ?? { id: rec.id, name: rec.name, ipv4: rec.localAddress };
  },
};
