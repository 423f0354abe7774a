import { ProtocolError, ProtocolErrorCode, type ReadResourceResult, type Resource, type ResourceTemplateType } from '@modelcontextprotocol/server';
import type { Kernel } from '../../kernel/kernel.js';
import type { Caller } from '../../kernel/ops/define.js';
import { toOpError } from '../../kernel/ops/errors.js';
import type { McpCallContext } from './catalog.js';
import { appRegistrations } from './app-registrations.js';
import { visibleTo } from './op-tools.js';

interface Fixed {
  uri: string;
  name: string;
  description: string;
  op: string;
  input: Record<string, unknown>;
}

const FIXED: Fixed[] = [
  { uri: 'fazt://apps', name: 'apps', description: 'Every app with its id, slug, URL and active version.', op: 'apps.list', input: {} },
  { uri: 'fazt://config', name: 'config', description: 'The running server configuration (HTTPS and ACME settings included), secrets left out.', op: 'server.config', input: {} },
  { uri: 'fazt://pulse/status', name: 'pulse-status', description: 'Current health: the latest beat and its analysis.', op: 'pulse.status', input: {} },
  { uri: 'fazt://pulse/history', name: 'pulse-history', description: 'Recent beats (last 24 hours).', op: 'pulse.history', input: {} },
  { uri: 'fazt://infra/vps', name: 'infra-vps', description: 'Every server at the configured providers and on this machine, with state, IPs and price.', op: 'infra.vps.list', input: {} },
  { uri: 'fazt://agent/journal', name: 'agent-journal', description: "The agent's recent decisions: what it saw, chose, did and how it turned out.", op: 'agent.decisions', input: {} },
];


interface Template {
  uriTemplate: string;
  name: string;
  description: string;
  re: RegExp;
  op: string | undefined;
  input: (m: RegExpExecArray) => Record<string, unknown>;
}

const templatesByKernel = new WeakMap<Kernel, Template[]>();

/** The templates depend only on which ops exist: built once per kernel, not per request. */
function templatesFor(kernel: Kernel): Template[] {
  let t = templatesByKernel.get(kernel);
  if (!t) templatesByKernel.set(kernel, (t = buildTemplates(kernel)));
  return t;
}

function buildTemplates(kernel: Kernel): Template[] {
  const fileOp = kernel.registry.get('apps.files.read') ? 'apps.files.read' : undefined;
  return [
    { uriTemplate: 'fazt://apps/{id}', name: 'app', description: 'One app: URL, active version, timestamps, custom domains with their certificate state.', re: /^fazt:\/\/apps\/([^/]+)$/, op: 'apps.get', input: (m) => ({ id: dec(m[1]) }) },
    { uriTemplate: 'fazt://apps/{id}/files/{+path}', name: 'app-file', description: 'One file of the app\'s live version.', re: /^fazt:\/\/apps\/([^/]+)\/files\/(.+)$/, op: fileOp, input: (m) => ({ app: dec(m[1]), path: dec(m[2]) }) },
    { uriTemplate: 'fazt://infra/dns/{zone}', name: 'infra-dns-zone', description: 'The DNS records of one zone.', re: /^fazt:\/\/infra\/dns\/([^/]+)$/, op: 'infra.dns.records', input: (m) => ({ zone: dec(m[1]) }) },
    { uriTemplate: 'fazt://apps/{id}/logs', name: 'app-logs', description: 'Recent log lines of the app.', re: /^fazt:\/\/apps\/([^/]+)\/logs$/, op: 'logs.query', input: (m) => ({ app: dec(m[1]) }) },
  ];
}

/** Resources of mcp.kernel: each read is an op invocation, so capability checks and audit apply. */
export function kernelResources(kernel: Kernel, caller: () => Caller) {
  const has = (name: string | undefined) => !!name && !!kernel.registry.get(name) && visibleTo(kernel.registry.get(name)!, caller());
  const templates = templatesFor(kernel);

  async function run(op: string, input: unknown, call: McpCallContext): Promise<unknown> {
    try {
      const r = await kernel.invoke(caller(), op, input, { surface: 'mcp', session: { id: call.sessionId, client: call.client }, signal: call.ctx.mcpReq.signal });
      if (r.status !== 'ok') throw new ProtocolError(ProtocolErrorCode.InvalidRequest, `Reading this resource needs approval (halt ${r.halt.haltId}).`);
      return r.output;
    } catch (err) {
      if (err instanceof ProtocolError) throw err;
      const e = toOpError(err);
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${e.code}: ${e.message}`, { code: e.code });
    }
  }

  return {
    list(): Resource[] {
      const out: Resource[] = FIXED.filter((f) => has(f.op)).map((f) => ({ uri: f.uri, name: f.name, description: f.description, mimeType: 'application/json' }));
      // A listing, not a call: the app list comes from the same cache as the owner's app tools, without audit rows.
      if (has('apps.list')) {
        for (const a of appRegistrations(kernel).list()) out.push({ uri: `fazt://apps/${a.id}`, name: `app-${a.slug}`, title: a.name, description: `App ${a.slug}`, mimeType: 'application/json' });
      }
      return out;
    },
    templates(): ResourceTemplateType[] {
      return templates.filter((t) => has(t.op) || (t.op === 'apps.get' && !!kernel.registry.get('apps.get'))).map((t) => ({
        uriTemplate: t.uriTemplate, name: t.name, description: t.description, ...(t.name === 'app-file' ? {} : { mimeType: 'application/json' }),
      }));
    },
    async read(uri: string, call: McpCallContext): Promise<ReadResourceResult> {
      const fixed = FIXED.find((f) => f.uri === uri);
      if (fixed && kernel.registry.get(fixed.op)) return json(uri, await run(fixed.op, fixed.input, call));
      for (const t of templates) {
        const m = t.re.exec(uri);
        if (m && t.op && kernel.registry.get(t.op)) {
          const out = await run(t.op, t.input(m), call);
          return t.name === 'app-file' ? fileContents(uri, out) : json(uri, out);
        }
      }
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource ${uri} not found`, { uri });
    },
    /** App ids and slugs starting with what the user typed, for callers who may list apps. */
    completeAppRef(prefix: string): string[] {
      if (!has('apps.list')) return [];
      return appRegistrations(kernel).list().flatMap((a) => [a.slug, a.id]).filter((v) => v.startsWith(prefix));
    },
  };
}

function dec(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function json(uri: string, value: unknown): ReadResourceResult {
  return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] };
}

/** apps.files.read gives text for text files and base64 for the rest: MCP's text and blob contents. */
function fileContents(uri: string, out: unknown): ReadResourceResult {
  const o = (out ?? {}) as { mime?: string; text?: string; base64?: string };
  const mimeType = o.mime ? { mimeType: o.mime } : {};
  if (typeof o.text === 'string') return { contents: [{ uri, ...mimeType, text: o.text }] };
  if (typeof o.base64 === 'string') return { contents: [{ uri, ...mimeType, blob: o.base64 }] };
  return json(uri, out);
}
