import { z } from 'zod';
import type { Kernel } from '../../kernel/kernel.js';
import { defineOp, type Risk } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { sshExec } from '../vps/ssh-exec.js';
import { sshKey } from '../vps/ssh-key.js';
import { serverId } from '../servers-store.js';
import { WRITE } from './common.js';
import { resolveServer, serverRef } from './vps-schemas.js';

/** Commands the owner declared harmless (setting infra.exec.readOnly); every other command is destructive. */
export const READ_ONLY_KEY = 'infra.exec.readOnly';
const DEFAULT_READ_ONLY = ['uptime', 'df -h', 'free -m'];

function execRisk(input: { command: string }, kernel: Kernel): Risk {
  const harmless = kernel.settings.get<string[]>(READ_ONLY_KEY, DEFAULT_READ_ONLY);
  return harmless.includes(input.command.trim()) ? 'write' : 'destructive';
}

export const infraVpsExec = defineOp({
  name: 'infra.vps.exec',
  title: 'Run a command on a server',
  description:
    "Runs one shell command on a server: over SSH as root with fazt's own key for real servers, in the server's data dir for local ones. Treated as destructive (halts for approval) unless the exact command is listed in the setting infra.exec.readOnly. Returns the exit code and output (each capped at 256 KiB).",
  input: z.object({
    id: serverRef,
    command: z.string().min(1).max(8000),
    user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).default('root').describe('SSH user (real servers)'),
    port: z.number().int().min(1).max(65535).default(22).describe('SSH port (real servers)'),
    timeoutSeconds: z.number().int().min(1).max(3600).default(120),
  }),
  output: z.object({ id: z.string(), exitCode: z.number().nullable(), signal: z.string().nullable(), stdout: z.string(), stderr: z.string(), truncated: z.boolean(), ms: z.number() }),
  requires: WRITE,
  risk: 'destructive',
  riskOf: (input, kernel) => execRisk(input, kernel),
  openWorld: true,
  describeHalt: (input) => `Run on server ${input.id}: ${input.command}`,
  handler: async ({ kernel, signal }, input) => {
    const infra = kernel.services.infra;
    const { provider, providerId, record } = resolveServer(kernel, input.id);
    const id = serverId(provider, providerId);
    const timeoutMs = input.timeoutSeconds * 1000;
    if (provider === 'local') return { id, ...(await infra.local.exec(providerId, input.command, signal, timeoutMs)) };
    const s = await infra.vps(provider, signal).get(providerId);
    if (!s) throw new OpError('NOT_FOUND', `${provider} has no server ${providerId}.`);
    const host = s.ipv4 ?? s.ipv6;
    if (!host) throw new OpError('UNAVAILABLE', `Server ${id} has no public address yet.`);
    const r = await sshExec({ host, port: input.port, username: input.user, privateKey: sshKey(kernel).privateKey(), knownHostKey: record?.hostKey ?? null, timeoutMs, signal }, input.command);
    if (record && !record.hostKey) infra.servers.update(id, { hostKey: r.hostKey });
    const { hostKey: _seen, ...out } = r;
    return { id, ...out };
  },
});
