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
/** For an app's MCP endpoint (/mcp/apps/<slug>): its slug, and the app when it serves MCP. */
export function appOfResource(kernel: Kernel, resource: string): { slug?: string; app?: { id: string; slug: string } } {
  const slug = /^\/mcp\/apps\/([a-z0-9-]+)$/.exec(new URL(resource).pathname)?.[1];
  const app = slug ? kernel.services.apps.find(slug) : undefined;
  return { slug, app: app && !app.system ? app : undefined };
}

export function consentChoices(kernel: Kernel, resource?: string): Choice[] {
  // An app's own MCP endpoint answers only to that app's capabilities.
  const { app } = resource ? appOfResource(kernel, resource) : {};
  if (app) {
    return [
      { cap: `app:${app.id}:read`, label: `Use ${app.slug}'s read-only tools`, checked: true },
      { cap: `app:${app.id}:*`, label: `Use all of ${app.slug}'s tools`, checked: false },
    ];
  }
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
export function grantedCaps(kernel: Kernel, ticked: string[], resource?: string): { caps: string[] } | { problem: string } {
  const offered = new Set(consentChoices(kernel, resource).map((c) => c.cap));
  const unknown = ticked.filter((c) => !offered.has(c));
  if (unknown.length) return { problem: `Not something this page offers: ${unknown.join(', ')}.` };
  if (ticked.length === 0) return { problem: 'Tick at least one capability, or deny.' };
  return { caps: [...new Set(ticked)] };
}
