import { OpError } from '../../kernel/ops/errors.js';
import { matches } from '../../events/pattern.js';
import type { Registrations } from '../sandbox/slot.js';
import { checkCount, checkSize, DEFAULT_REGISTRATION_CAPS, type RegistrationCaps } from './caps.js';
import { checkToolName, toJsonSchema } from './schema.js';
import type { VersionRegistrations } from './store.js';
import { checkTemplate } from './uri-template.js';

/** Longest media type (RFC 6838 allows 127 + '/' + 127). */
const MAX_MIME = 255;

/** Patterns beyond its own namespace that an app's manifest asks to receive (`"events": {"subscribe": [...]}`). */
export function requestedPatterns(manifest: Record<string, unknown>): string[] {
  const asked = (manifest.events as { subscribe?: unknown } | undefined)?.subscribe;
  return Array.isArray(asked) ? asked.filter((p): p is string => typeof p === 'string' && p.length > 0) : [];
}

/** Event patterns an app may register handlers for: its own namespace, plus what its manifest asks. */
export function allowedPatterns(slug: string, manifest: Record<string, unknown>): string[] {
  return [`app:${slug}.*`, ...requestedPatterns(manifest)];
}

/** Event patterns an app's handlers actually receive: its own namespace, plus what it asked for and the owner granted. */
export function deliveredPatterns(slug: string, manifest: Record<string, unknown>, granted: string[]): string[] {
  return [`app:${slug}.*`, ...requestedPatterns(manifest).filter((p) => granted.includes(p))];
}

export function patternAllowed(pattern: string, allowed: string[]): boolean {
  return allowed.some((a) => a === pattern || matches(a, pattern) || (a.endsWith('*') && pattern.startsWith(a.slice(0, -1))));
}

/** Turns what api/main.js registered into stored records, or fails the deploy with a clear message. */
export function checkRegistrations(raw: Registrations, slug: string, manifest: Record<string, unknown>, caps: RegistrationCaps = DEFAULT_REGISTRATION_CAPS): VersionRegistrations {
  checkCount(raw.tools.length, caps.maxTools, 'tools', 'maxTools');
  checkCount(raw.resources.length, caps.maxResources, 'resources', 'maxResources');
  const seen = new Map<string, string>();
  const tools = raw.tools.map((t) => {
    const mapped = checkToolName(t.name);
    const other = seen.get(mapped);
    if (other) throw new OpError('BAD_INPUT', `The tools '${other}' and '${t.name}' have the same MCP name '${mapped}'.`, { tool: t.name });
    seen.set(mapped, t.name);
    if (typeof t.description !== 'string') throw new OpError('BAD_INPUT', `Tool '${t.name}': description must be a string.`, { tool: t.name });
    if (t.readOnly && t.destructive) throw new OpError('BAD_INPUT', `Tool '${t.name}' cannot be both read-only and destructive.`, { tool: t.name });
    checkSize(t.description, caps.maxDescriptionBytes, `Tool '${t.name}'`, 'description', 'maxDescriptionBytes');
    const inputSchema = toJsonSchema(t.input, `Tool '${t.name}'`);
    checkSize(JSON.stringify(inputSchema), caps.maxSchemaBytes, `Tool '${t.name}'`, 'input schema', 'maxSchemaBytes');
    return { name: t.name, description: t.description, inputSchema, readOnly: t.readOnly, ...(t.destructive ? { destructive: true } : {}) };
  });
  const resources = raw.resources.map((r) => {
    checkTemplate(r.uriTemplate);
    if (typeof r.description !== 'string') throw new OpError('BAD_INPUT', `Resource '${r.uriTemplate}': description must be a string.`);
    checkSize(r.description, caps.maxDescriptionBytes, `Resource '${r.uriTemplate}'`, 'description', 'maxDescriptionBytes');
    if (typeof r.mimeType === 'string' && r.mimeType.length > MAX_MIME) {
      throw new OpError('BAD_INPUT', `Resource '${r.uriTemplate}': mimeType is ${r.mimeType.length} characters; a media type has at most ${MAX_MIME}, e.g. 'text/markdown'.`);
    }
    return { uriTemplate: r.uriTemplate, description: r.description, ...(typeof r.mimeType === 'string' ? { mimeType: r.mimeType } : {}) };
  });
  const allowed = allowedPatterns(slug, manifest);
  const events = raw.events.map((pattern, index) => {
    if (!patternAllowed(pattern, allowed)) {
      throw new OpError(
        'BAD_INPUT',
        `fazt.events.on('${pattern}'): an app receives only its own events (app:${slug}.*) unless its manifest asks for more, e.g. "events": {"subscribe": ["${pattern}"]}.`,
        { pattern },
      );
    }
    return { pattern, index };
  });
  return { tools, resources, events };
}
