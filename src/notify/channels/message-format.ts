import type { Message, MessageAction, Severity } from './types.js';

export const severityLabel: Record<Severity, string> = { info: 'Info', warning: 'Warning', critical: 'Critical' };

/** Cuts text to `max` characters, ending with an ellipsis when it had to cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The message's link (as "Open") followed by its actions, without repeats, at most `max`. */
export function linkButtons(message: Message, max: number): MessageAction[] {
  const all = [...(message.link ? [{ label: 'Open', url: message.link }] : []), ...(message.actions ?? [])];
  const seen = new Set<string>();
  return all.filter((a) => !seen.has(a.url) && seen.add(a.url)).slice(0, max);
}
