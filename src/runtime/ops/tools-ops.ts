import { z } from 'zod';
import { appRef } from '../../apps/schemas.js';
import type { Kernel } from '../../kernel/kernel.js';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { validate } from '../registrations/schema.js';
import { compileTemplate } from '../registrations/uri-template.js';
import { mayUseWriteTools } from '../tool-access.js';

const toolSchema = z.object({
  name: z.string(),
  description: z.string(),
  inputSchema: z.record(z.string(), z.unknown()),
  readOnly: z.boolean(),
  destructive: z.boolean().optional(),
});

export const toolsList = defineOp({
  name: 'apps.tools.list',
  title: 'List app tools',
  description: "Lists the tools an app declares in its api/main.js (fazt.mcp.tool), with each tool's JSON Schema input and whether it only reads (readOnly) or loses data (destructive). Call one with apps.tools.call.",
  input: z.object({ app: appRef }),
  output: z.object({ app: z.string(), tools: z.array(toolSchema) }),
  requires: ['kernel:apps:read', 'app:{app}:read'],
  risk: 'read',
  idempotent: true,
  cli: { command: ['apps', 'tools'], positional: ['app'] },
  handler: ({ kernel }, input) => {
    const app = kernel.services.apps.get(input.app);
    return { app: app.slug, tools: kernel.services.runtime.registrations.load(app.id, app.activeVersion).tools };
  },
});

/** A tool is named as declared (posts.create) or as MCP shows it (posts_create). */
const matchesTool = (declared: string, asked: string) => declared === asked || declared.replace(/\./g, '_') === asked;

function findTool(kernel: Kernel, appRef: string, name: string) {
  const app = kernel.services.apps.find(appRef);
  if (!app) return undefined;
  const tool = kernel.services.runtime.registrations.load(app.id, app.activeVersion).tools.find((t) => matchesTool(t.name, name));
  return tool ? { app, tool } : undefined;
}

export const toolsCall = defineOp({
  name: 'apps.tools.call',
  title: 'Call app tool',
  description:
    "Runs one of an app's own tools (see apps.tools.list) in the app's sandbox with the app's data, and returns what its handler returned. " +
    'args must match the tool input schema. Tools not marked read-only need write access to the app.',
  input: z.object({
    app: appRef,
    tool: z.string().min(1).max(100).describe("Tool name as declared (posts.create) or as MCP shows it (posts_create)"),
    args: z.record(z.string(), z.unknown()).default({}).describe('Arguments for the tool'),
  }),
  output: z.object({ result: z.unknown() }),
  requires: ['kernel:apps:write', 'app:{app}:read'],
  risk: 'write',
  // A tool its author declared destructive is gated like any destructive op: a present human or an approved halt.
  riskOf: (input, kernel) => (findTool(kernel, input.app, input.tool)?.tool.destructive ? 'destructive' : 'write'),
  describeHalt: (input, kernel) => {
    const found = findTool(kernel, input.app, input.tool);
    return `Run the tool '${found?.tool.name ?? input.tool}' of app '${found?.app.slug ?? input.app}', which its author marks destructive, with ${JSON.stringify(input.args).slice(0, 200)}.`;
  },
  cli: { command: ['apps', 'call'], positional: ['app', 'tool'] },
  handler: async ({ kernel, caller, requestId }, input) => {
    const app = kernel.services.apps.get(input.app);
    const tools = kernel.services.runtime.registrations.load(app.id, app.activeVersion).tools;
    const tool = tools.find((t) => matchesTool(t.name, input.tool));
    if (!tool) {
      throw new OpError('NOT_FOUND', `The app '${app.slug}' has no tool '${input.tool}'. Its tools: ${tools.map((t) => t.name).join(', ') || 'none'}.`, { tool: input.tool });
    }
    if (!tool.readOnly && !mayUseWriteTools(caller.caps, app.id)) {
      throw new OpError('FORBIDDEN', `The tool '${tool.name}' changes data: it needs app:${app.id}:write (read access allows only read-only tools).`, {
        required: [`app:${app.id}:write`],
      });
    }
    const errors = validate(tool.inputSchema, input.args);
    if (errors.length) {
      throw new OpError('BAD_INPUT', `Invalid arguments for ${tool.name}: ${errors.join('; ')}`, { fields: errors.map((message) => ({ path: message.split(' ')[0], message })) });
    }
    const result = await kernel.services.runtime.callTool(app, tool.name, input.args, { requestId, userId: null });
    return { result };
  },
});

export const resourcesList = defineOp({
  name: 'apps.resources.list',
  title: 'List app resources',
  description: 'Lists the resource templates an app declares in its api/main.js (fazt.mcp.resource), e.g. posts://{id}. Read one with apps.resources.read.',
  input: z.object({ app: appRef }),
  output: z.object({ app: z.string(), resources: z.array(z.object({ uriTemplate: z.string(), description: z.string(), mimeType: z.string().optional() })) }),
  requires: ['kernel:apps:read', 'app:{app}:read'],
  risk: 'read',
  idempotent: true,
  cli: { command: ['apps', 'resources'], positional: ['app'] },
  handler: ({ kernel }, input) => {
    const app = kernel.services.apps.get(input.app);
    return { app: app.slug, resources: kernel.services.runtime.registrations.load(app.id, app.activeVersion).resources };
  },
});

export const resourcesRead = defineOp({
  name: 'apps.resources.read',
  title: 'Read app resource',
  description: "Reads a resource of an app by URI (matching one of its templates, e.g. posts://42 for posts://{id}); the app's handler produces the text.",
  input: z.object({ app: appRef, uri: z.string().min(1).max(2048) }),
  output: z.object({ uri: z.string(), mimeType: z.string(), text: z.string() }),
  requires: ['kernel:apps:read', 'app:{app}:read'],
  risk: 'read',
  idempotent: true,
  cli: { command: ['apps', 'read'], positional: ['app', 'uri'] },
  handler: async ({ kernel, requestId }, input) => {
    const app = kernel.services.apps.get(input.app);
    const resources = kernel.services.runtime.registrations.load(app.id, app.activeVersion).resources;
    for (const r of resources) {
      const params = compileTemplate(r.uriTemplate)(input.uri);
      if (!params) continue;
      const out = await kernel.services.runtime.readResource(app, r.uriTemplate, input.uri, params, { requestId, userId: null });
      return { uri: input.uri, mimeType: out.mimeType, text: out.text };
    }
    throw new OpError('NOT_FOUND', `No resource of '${app.slug}' matches '${input.uri}'. Templates: ${resources.map((r) => r.uriTemplate).join(', ') || 'none'}.`);
  },
});

export const runtimeOps = [toolsList, toolsCall, resourcesList, resourcesRead];
