import { ProtocolError, ProtocolErrorCode, type Resource, type ResourceTemplateType, type Tool } from '@modelcontextprotocol/server';
import type { Kernel } from '../../kernel/kernel.js';
import type { Caller } from '../../kernel/ops/define.js';
import { toOpError } from '../../kernel/ops/errors.js';
import { toolError, type McpCallContext, type McpCatalog } from './catalog.js';
import { appToolDef, invokeAppTool, listAppTools, readOnlyFor } from './app-tools.js';
import { TOOL_NAME_RE, toolNameFor } from './tool-names.js';

interface AppResource {
  uriTemplate: string;
  description?: string;
}

/** mcp.app: only this app's tools (unprefixed) and resources, through the apps.tools / apps.resources ops. */
export function appCatalog(kernel: Kernel, app: { id: string; slug: string }, caller: () => Caller): McpCatalog {
  const tools = async (call?: McpCallContext) => {
    const c = caller();
    const all = await listAppTools(kernel, c, app.id, call).catch(() => []);
    const ro = readOnlyFor(c, app.id);
    return all.filter((t) => TOOL_NAME_RE.test(toolNameFor(t.name)) && (!ro || t.readOnly));
  };
  const resources = async (call: McpCallContext): Promise<AppResource[]> => {
    if (!kernel.registry.get('apps.resources.list')) return [];
    try {
      const r = await kernel.invoke(caller(), 'apps.resources.list', { app: app.id }, { surface: 'mcp', session: { id: call.sessionId, client: call.client } });
      return r.status === 'ok' ? ((r.output as { resources?: AppResource[] }).resources ?? []) : [];
    } catch {
      return [];
    }
  };
  const name = (r: AppResource) => r.uriTemplate.replace(/^[a-z]+:\/\//, '').replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 64) || app.slug;

  return {
    name: `fazt-app-${app.slug}`,
    instructions: `Tools and resources of the fazt app '${app.slug}'.`,
    async listTools(call): Promise<Tool[]> {
      return (await tools(call)).map((t) => appToolDef(t, toolNameFor(t.name), app.slug));
    },
    async callTool(tool, args, call) {
      const c = caller();
      const all = await listAppTools(kernel, c, app.id, call).catch(() => []);
      const t = all.find((x) => toolNameFor(x.name) === tool);
      if (!t) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool '${tool}' on app '${app.slug}'.`);
      if (!t.readOnly && readOnlyFor(c, app.id)) return toolError('FORBIDDEN', `${tool} changes data: it needs the capability app:${app.id}:* (this token may only read).`);
      return invokeAppTool(kernel, c, app.id, t.name, args, call);
    },
    async listResources(call): Promise<Resource[]> {
      return (await resources(call)).filter((r) => !r.uriTemplate.includes('{')).map((r) => ({ uri: r.uriTemplate, name: name(r), description: r.description }));
    },
    async listTemplates(call): Promise<ResourceTemplateType[]> {
      return (await resources(call)).filter((r) => r.uriTemplate.includes('{')).map((r) => ({ uriTemplate: r.uriTemplate, name: name(r), description: r.description }));
    },
    async readResource(uri, call) {
      if (!kernel.registry.get('apps.resources.read')) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource ${uri} not found`);
      try {
        const r = await kernel.invoke(caller(), 'apps.resources.read', { app: app.id, uri }, { surface: 'mcp', session: { id: call.sessionId, client: call.client }, signal: call.ctx.mcpReq.signal });
        if (r.status !== 'ok') throw new ProtocolError(ProtocolErrorCode.InvalidRequest, `Reading ${uri} needs approval (halt ${r.halt.haltId}).`);
        const out = r.output as { uri?: string; mimeType?: string; text?: string };
        return { contents: [{ uri: out.uri ?? uri, ...(out.mimeType ? { mimeType: out.mimeType } : {}), text: out.text ?? '' }] };
      } catch (err) {
        if (err instanceof ProtocolError) throw err;
        const e = toOpError(err);
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${e.code}: ${e.message}`);
      }
    },
    listPrompts: () => [],
    async getPrompt(p) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt '${p}'.`);
    },
    async complete() {
      return { values: [] };
    },
  };
}
