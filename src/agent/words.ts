import type { Personality } from './config.js';

/** Personality shapes the words only: helpful explains, terse states, cautious explains and says it will ask. */
export function say(p: Personality, parts: { what: string; why?: string; next?: string }): string {
  if (p === 'terse') return parts.what;
  const body = [parts.what, parts.why ? `Why: ${parts.why}` : '', parts.next ? `Next: ${parts.next}` : ''].filter(Boolean);
  if (p === 'cautious') body.push('I ask before changing anything beyond renewing certificates.');
  return body.join('\n');
}
