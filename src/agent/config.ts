import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';

export const AUTONOMY = ['low', 'medium', 'high'] as const;
export const PERSONALITY = ['helpful', 'terse', 'cautious'] as const;
export type Autonomy = (typeof AUTONOMY)[number];
export type Personality = (typeof PERSONALITY)[number];

export interface AgentConfig {
  autonomy: Autonomy;
  personality: Personality;
  /** Channels the agent's own reports go to; empty means every channel. */
  channels: string[];
  shadow: boolean;
  apps: Record<string, { autonomy: Autonomy }>;
  /** Churn budget: actions per incident and per hour, past which it stops acting and asks. */
  budgets: { perIncident: number; perHour: number };
  /** Paused until this ISO time; 'indefinitely' until agent.resume; null when running. */
  pausedUntil: string | null;
}

export const SETTINGS_KEY = 'agent.config';
export const DEFAULT_CONFIG: AgentConfig = {
  autonomy: 'medium', personality: 'helpful', channels: [], shadow: false, apps: {},
  budgets: { perIncident: 2, perHour: 10 }, pausedUntil: null,
};

export function loadConfig(kernel: Kernel): AgentConfig {
  const saved = kernel.settings.get<Partial<AgentConfig>>(SETTINGS_KEY, {});
  return { ...DEFAULT_CONFIG, ...saved, budgets: { ...DEFAULT_CONFIG.budgets, ...(saved.budgets ?? {}) }, apps: { ...(saved.apps ?? {}) } };
}

export function saveConfig(kernel: Kernel, c: AgentConfig): void {
  kernel.settings.set(SETTINGS_KEY, c);
}

/** Channels must exist now; the error names the ones that do. */
export function checkChannels(kernel: Kernel, channels: string[]): void {
  const known = kernel.services.notify?.channels.names() ?? [];
  const unknown = channels.filter((c) => !known.includes(c));
  if (unknown.length) {
    throw new OpError('BAD_INPUT', `Unknown channel${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `'${c}'`).join(', ')}; configured channels: ${known.join(', ') || '(none: add one with notify.channels.add)'}.`, {
      fields: [{ path: 'channels', message: `valid: ${known.join(', ') || '(none)'}` }],
    });
  }
}

/** The level that applies to an app (its override, else the server's). */
export function levelFor(c: AgentConfig, app: string | null): Autonomy {
  return (app && c.apps[app]?.autonomy) || c.autonomy;
}

export function isPaused(c: AgentConfig, now = Date.now()): boolean {
  if (!c.pausedUntil) return false;
  return c.pausedUntil === 'indefinitely' || Date.parse(c.pausedUntil) > now;
}
