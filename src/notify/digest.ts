import type { Message, Severity } from './channels/types.js';
import type { HeldMessage } from './held.js';

const MAX_LINES = 50;
const ORDER: Severity[] = ['critical', 'warning', 'info'];
const HEADINGS: Record<Severity, string> = { critical: 'Critical', warning: 'Warnings', info: 'For your information' };

/** One message that stands for everything held since the last digest. */
export function digestMessage(held: HeldMessage[], at: number, timezone: string): Omit<Message, 'at'> {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short' });
  const lines: string[] = [];
  let shown = 0;
  for (const sev of ORDER) {
    const group = held.filter((h) => h.message.severity === sev);
    if (!group.length) continue;
    lines.push(`${HEADINGS[sev]} (${group.length}):`);
    for (const h of group) {
      if (shown++ >= MAX_LINES) continue;
      lines.push(`- ${time.format(Date.parse(h.message.at))}  ${h.message.title}`);
    }
    lines.push('');
  }
  if (shown > MAX_LINES) lines.push(`…and ${shown - MAX_LINES} more: fazt notify history`);
  const worst = ORDER.find((s) => held.some((h) => h.message.severity === s)) ?? 'info';
  return {
    id: `digest:${new Date(at).toISOString()}`,
    title: `fazt digest: ${held.length} message${held.length === 1 ? '' : 's'} since the last one`,
    body: lines.join('\n').trim(),
    severity: worst === 'critical' ? 'warning' : 'info',
  };
}
