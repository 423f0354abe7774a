import { kernelAreas } from '../auth/capabilities.js';
import type { Kernel } from '../kernel/kernel.js';
import { requiredCaps } from '../kernel/ops/define.js';

export interface Choice {
  cap: string;
  label: string;
  /** Ticked when the page opens: read-only access by default. */
  checked: boolean;
}

/**
 * What the owner may grant a client, from the capability vocabulary: read and
 * write per kernel area, every app, and the whole kernel (never pre-ticked).
 */
export function consentChoices(kernel: Kernel): Choice[] {
  const areas = kernelAreas(kernel.registry.list().flatMap(requiredCaps)).sort();
  const choices: Choice[] = [];
  for (const area of areas) {
    choices.push({ cap: `kernel:${area}:read`, label: `Read ${area}`, checked: true });
    choices.push({ cap: `kernel:${area}:write`, label: `Change ${area}`, checked: false });
  }
  choices.push({ cap: 'app:*', label: 'Use every app and its data', checked: false });
  choices.push({ cap: 'kernel:*', label: 'Everything in the kernel (full control)', checked: false });
  return choices;
}

/** The ticked capabilities, refused unless each is one the page offered. */
export function grantedCaps(kernel: Kernel, ticked: string[]): { caps: string[] } | { problem: string } {
  const offered = new Set(consentChoices(kernel).map((c) => c.cap));
  const unknown = ticked.filter((c) => !offered.has(c));
  if (unknown.length) return { problem: `Not something this page offers: ${unknown.join(', ')}.` };
  if (ticked.length === 0) return { problem: 'Tick at least one capability, or deny.' };
  return { caps: [...new Set(ticked)] };
}
