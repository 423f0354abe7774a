import type { IncomingMessage } from 'node:http';
import { holds } from '../../auth/capabilities.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Caller } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { authenticate, bearerToken } from '../http/authenticate.js';
import { appCatalog } from './app-catalog.js';
import type { Target } from './endpoint.js';
import { kernelCatalog } from './kernel-catalog.js';
import { assertKnownGroups, parseToolGroups } from './tool-names.js';

/** MCP callers are models: never a present human, whatever key they hold. */
export function asModel(caller: Caller): Caller {
  return { ...caller, human: false };
}

export function principalOf(caller: Caller): string {
  return caller.tokenId ?? `${caller.kind}:${caller.name}`;
}

/** `?tools=` / `--tools` as groups; throws BAD_INPUT naming the valid groups for one that matches nothing. */
export function toolGroupsOf(kernel: Kernel, raw: string | null | undefined): string[] | undefined {
  const groups = parseToolGroups(raw);
  assertKnownGroups(groups, kernel.registry.list().map((op) => op.name));
  return groups;
}

export function kernelTarget(kernel: Kernel, caller: Caller, toolsParam?: string | null): Target {
  const groups = toolGroupsOf(kernel, toolsParam);
  return {
    key: 'kernel',
    principal: principalOf(caller),
    caller: asModel(caller),
    makeCatalog: (get) => kernelCatalog(kernel, () => get()!, { groups }),
  };
}

interface FilesService {
  activeManifest?(appId: string): Record<string, unknown> | null | undefined;
}

/** `{"mcp": {"public": true}}` → anyone may use the read-only tools; `"public": "all"` → every tool. */
export function publicCaps(kernel: Kernel, appId: string): string[] | undefined {
  const files = (kernel.services as unknown as { files?: FilesService }).files;
  let manifest: Record<string, unknown> | null | undefined;
  try {
    manifest = files?.activeManifest?.(appId);
  } catch {
    manifest = undefined;
  }
  const pub = (manifest?.mcp as { public?: unknown } | undefined)?.public;
  if (pub === true || pub === 'read') return [`app:${appId}:read`];
  if (pub === 'all' || pub === '*' || pub === 'write') return [`app:${appId}:*`];
  return undefined;
}

/**
 * The target for an app endpoint. A bearer token is always honoured; without
 * one the manifest decides. Throws UNAUTHENTICATED / FORBIDDEN / NOT_FOUND.
 */
export function appTarget(kernel: Kernel, req: IncomingMessage, slug: string): Target {
  const app = kernel.services.apps.find(slug);
  if (!app || app.system) throw new OpError('NOT_FOUND', `No app '${slug}' serves MCP here.`);
  let caller: Caller;
  const resource = `/mcp/apps/${slug}`;
  if (bearerToken(req)) caller = authenticate(kernel, req, resource);
  else {
    const caps = publicCaps(kernel, app.id);
    if (!caps) caller = authenticate(kernel, req, resource);
    else caller = { kind: 'public', name: 'public', caps, human: false };
  }
  if (!holds(caller.caps, `app:${app.id}:read`)) {
    throw new OpError('FORBIDDEN', `This endpoint needs the capability app:${app.id}:read or app:${app.id}:*.`, { required: [`app:${app.id}:read`, `app:${app.id}:*`] });
  }
  const model = asModel(caller);
  return {
    key: `app:${app.id}`,
    principal: principalOf(caller),
    caller: model,
    makeCatalog: (get) => appCatalog(kernel, { id: app.id, slug: app.slug }, () => get()!),
  };
}
