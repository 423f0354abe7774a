import type { Kernel } from '../kernel/kernel.js';
import type { AgentConfig } from './config.js';

/** Sends to the agent's channels (every channel when none are chosen); returns how many it went to. */
export async function tell(kernel: Kernel, config: AgentConfig, title: string, body: string, severity: 'info' | 'warning' | 'critical'): Promise<number> {
  const notify = kernel.services.notify;
  if (!notify) return 0;
  const names = notify.channels.names();
  const to = config.channels.length ? config.channels.filter((c) => names.includes(c)) : names;
  await Promise.all(to.map((channel) => notify.send({ title: `fazt agent: ${title}`.slice(0, 200), body, severity }, { channel }).catch(() => undefined)));
  return to.length;
}
