import type { Tool } from '@modelcontextprotocol/server';
import type { Kernel } from '../../kernel/kernel.js';
import { appToolDef, type AppTool } from './app-tools.js';
import { TOOL_NAME_RE, toolNameFor } from './tool-names.js';

export interface AppRef {
  id: string;
  slug: string;
  name: string;
}

export interface AppResource {
  uriTemplate: string;
  description?: string;
  mimeType?: string;
}

interface Registered {
  tools: AppTool[];
  resources: AppResource[];
}

interface RuntimeLike {
  registrations?: { load(appId: string, version: number | null): Registered };
}

/** Another process (a server on the same data dir) may deploy without telling us: entries also age out. */
const MAX_AGE_MS = 5_000;

/**
 * What apps registered for MCP (tools, resources), read from the runtime's
 * stored registrations and kept until an app is created, deployed, rolled
 * back or deleted. Listing is not an op call a person made, so it writes no
 * audit rows; every call and read still goes through kernel.invoke.
 */
export class AppRegistrations {
  private gen = 0;
  private apps?: AppRef[];
  private readonly byApp = new Map<string, Registered>();
  private owner?: { tools: Tool[]; byName: Map<string, { app: AppRef; tool: AppTool }> };
  private builtAt = Date.now();

  constructor(private readonly kernel: Kernel) {
    const drop = () => this.invalidate();
    for (const type of ['system.app.created', 'system.app.deployed', 'system.app.rolledback', 'system.app.deleted']) kernel.events.on(type, drop);
  }

  /** Bumped on every change, so derived lists (per-token tool lists) know to rebuild. */
  get generation(): number {
    this.fresh();
    return this.gen;
  }

  invalidate(): void {
    this.gen++;
    this.apps = undefined;
    this.byApp.clear();
    this.owner = undefined;
    this.builtAt = Date.now();
  }

  /** Apps people made (no system apps), by slug. */
  list(): AppRef[] {
    this.fresh();
    return (this.apps ??= (this.kernel.services.apps?.list(false) ?? []).map((a) => ({ id: a.id, slug: a.slug, name: a.name })));
  }

  /** Tools and resources of an app's active version (empty without a runtime). */
  of(appId: string): Registered {
    this.fresh();
    let r = this.byApp.get(appId);
    if (!r) {
      const runtime = (this.kernel.services as { runtime?: RuntimeLike }).runtime;
      const app = this.kernel.services.apps?.find(appId);
      const loaded = app && runtime?.registrations ? runtime.registrations.load(app.id, app.activeVersion) : undefined;
      r = { tools: loaded?.tools ?? [], resources: loaded?.resources ?? [] };
      this.byApp.set(appId, r);
    }
    return r;
  }

  /** Every app's tools as `<slug>_<tool>` (what the owner sees on the kernel endpoint), skipping names in `taken`. */
  ownerTools(taken: ReadonlySet<string>): Tool[] {
    return this.ownerIndex(taken).tools;
  }

  /** Resolves `<slug>_<tool>` back to the app and the tool as the app declared it. */
  findOwnerTool(name: string, taken: ReadonlySet<string>): { app: AppRef; tool: AppTool } | undefined {
    return this.ownerIndex(taken).byName.get(name);
  }

  private ownerIndex(taken: ReadonlySet<string>) {
    this.fresh();
    if (!this.owner) {
      const tools: Tool[] = [];
      const byName = new Map<string, { app: AppRef; tool: AppTool }>();
      for (const app of this.list()) {
        for (const t of this.of(app.id).tools) {
          const name = `${app.slug}_${toolNameFor(t.name)}`;
          if (!TOOL_NAME_RE.test(name) || taken.has(name) || byName.has(name)) continue;
          byName.set(name, { app, tool: t });
          tools.push(appToolDef(t, name, app.slug));
        }
      }
      this.owner = { tools, byName };
    }
    return this.owner;
  }

  private fresh(): void {
    if (Date.now() - this.builtAt > MAX_AGE_MS) this.invalidate();
  }
}

const perKernel = new WeakMap<Kernel, AppRegistrations>();

export function appRegistrations(kernel: Kernel): AppRegistrations {
  let r = perKernel.get(kernel);
  if (!r) perKernel.set(kernel, (r = new AppRegistrations(kernel)));
  return r;
}
