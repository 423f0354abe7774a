import { ProtocolError, ProtocolErrorCode, type Resource, type ResourceTemplateType, type Tool } from '@modelcontextprotocol/server';
import type { Kernel } from '../../kernel/kernel.js';
import type { Caller } from '../../kernel/ops/define.js';
import { toOpError } from '../../kernel/ops/errors.js';
import { toolError, type McpCallContext, type McpCatalog } from './catalog.js';
import { appRegistrations, type AppResource } from './app-registrations.js';
import { appToolDef, invokeAppTool, readOnlyFor } from './app-tools.js';
import { TOOL_NAME_RE, toolNameFor, unknownToolMessage } from './tool-names.js';

/**
 * mcp.app: only this app's tools (unprefixed) and resources. Lists come from
 * the app's stored registrations (the target already checked app:<id>:read);
 * calls and reads go through the apps.tools.call / apps.resources.read ops.
 */
export function appCatalog(kernel: Kernel, app: { id: string; slug: string }, caller: () => Caller): McpCatalog {
  const regs = appRegistrations(kernel);
  const tools = () => {
    const ro = readOnlyFor(caller(), app.id);
    return regs.of(app.id).tools.filter((t) => TOOL_NAME_RE.test(toolNameFor(t.name)) && (!ro || t.readOnly));
  };
  const resources = (): AppResource[] => regs.of(app.id).resources;
  const name = (r: AppResource) => r.uriTemplate.replace(/^[a-z]+:\/\//, '').replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 64) || app.slug;

  return {
    name: `fazt-app-${app.slug}`,
    instructions: `Tools and resources of the fazt app '${app.slug}'.`,
    listTools(): Tool[] {
      return tools().map((t) => appToolDef(t, toolNameFor(t.name), app.slug));
    },
    async callTool(tool, args, call) {
      const c = caller();
      const t = regs.of(app.id).tools.find((x) => toolNameFor(x.name) === tool);
      if (!t) throw new ProtocolError(ProtocolErrorCode.InvalidParams, unknownToolMessage(tool, app.slug, tools().map((x) => toolNameFor(x.name))));
      return invokeAppTool(kernel, c, app.id, t.name, args, call);
    },
    listResources(): Resource[] {
      return resources().filter((r) => !r.uriTemplate.includes('{')).map((r) => ({ uri: r.uriTemplate, name: name(r), description: r.description }));
    },
    listTemplates(): ResourceTemplateType[] {
      return resources().filter((r) => r.uriTemplate.includes('{')).map((r) => ({ uriTemplate: r.uriTemplate, name: name(r), description: r.description }));
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
