import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import type { Severity } from './channels/types.js';

/** What happens to events of a pattern: sent now, gathered into the digest, or dropped. */
export type Delivery = 'now' | 'digest' | 'off';

export interface NotifyRule {
  /** Event pattern: `system.halt.created`, `app:shop.order.*`, `system.agent.*`. */
  events: string;
  /** Only events at least this severe (pulse issues carry one; other events count as info). */
  minSeverity?: Severity;
  /** Channels by name; all channels when absent. */
  channels?: string[];
  deliver: Delivery;
}

export const SEVERITIES: Severity[] = ['info', 'warning', 'critical'];
export const MAX_RULES = 50;

/**
 * What fazt sends when nobody said otherwise: a new halt and a critical issue
 * go out at once, warnings wait for the digest. (The agent tells the owner what
 * it did itself; in quiet hours that waits for the digest too.)
 */
export const DEFAULT_RULES: NotifyRule[] = [
  { events: 'system.halt.created', deliver: 'now' },
  { events: 'system.pulse.issue', minSeverity: 'critical', deliver: 'now' },
  { events: 'system.pulse.issue', minSeverity: 'warning', deliver: 'digest' },
];

const KEY = 'notify.rules';

/** Notifications' own events never route: a rule on them would feed itself. */
export const UNROUTABLE = 'system.notify.';

export function severityOf(data: unknown): Severity {
  const s = (data as { severity?: unknown } | null)?.severity;
  return SEVERITIES.includes(s as Severity) ? (s as Severity) : 'info';
}

export function atLeast(s: Severity, min: Severity | undefined): boolean {
  return !min || SEVERITIES.indexOf(s) >= SEVERITIES.indexOf(min);
}

// Every event is routed through the rules: they are read from settings once per change.
const cache = new WeakMap<Kernel, { rules: NotifyRule[]; isDefault: boolean }>();

export function loadRules(kernel: Kernel): { rules: NotifyRule[]; isDefault: boolean } {
  let c = cache.get(kernel);
  if (!c) {
    const stored = kernel.settings.get<NotifyRule[] | null>(KEY, null);
    c = stored ? { rules: stored, isDefault: false } : { rules: DEFAULT_RULES, isDefault: true };
    cache.set(kernel, c);
  }
  return c;
}

/** Replaces the rules (null: back to the defaults); channels must exist. */
export function saveRules(kernel: Kernel, rules: NotifyRule[] | null): void {
  cache.delete(kernel);
  if (rules === null) return kernel.settings.delete(KEY);
  const known = kernel.services.notify.channels.names();
  rules.forEach((r, i) => {
    if (r.events.startsWith(UNROUTABLE)) {
      throw new OpError('BAD_INPUT', `rules[${i}].events: notifications' own events (${UNROUTABLE}*) cannot be routed; pulse reports failing channels.`);
    }
    const missing = (r.channels ?? []).filter((c) => !known.includes(c));
    if (missing.length) {
      throw new OpError('BAD_INPUT', `rules[${i}].channels: no channel named ${missing.join(', ')}; channels: ${known.join(', ') || 'none yet (fazt notify channels add …)'}.`, {
        fields: [{ path: `rules.${i}.channels`, message: 'unknown channel' }],
      });
    }
  });
  kernel.settings.set(KEY, rules);
}

/** The first rule that matches an event decides; no match, nothing is sent. */
export function ruleFor(rules: NotifyRule[], type: string, severity: Severity, matches: (p: string, t: string) => boolean): NotifyRule | undefined {
  if (type.startsWith(UNROUTABLE)) return undefined;
  return rules.find((r) => matches(r.events, type) && atLeast(severity, r.minSeverity));
}
