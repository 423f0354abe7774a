import type {
  CallToolResult,
  CompleteResult,
  GetPromptResult,
  InputRequiredResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplateType,
  Server,
  ServerContext,
  Tool,
} from '@modelcontextprotocol/server';

import type { McpTaskBackend } from './tasks/wire.js';

/** Everything a request handler may need about who asks and over what. */
export interface McpCallContext {
  ctx: ServerContext;
  server: Server;
  /** Transport session id (2025 sessions, SSE, stdio) for the audit trail. */
  sessionId?: string;
  /** Client name and version as it introduced itself. */
  client?: string;
}

export type ToolOutcome = CallToolResult | InputRequiredResult;

/**
 * What one MCP endpoint exposes. The kernel endpoint, an app endpoint and the
 * conformance fixture are all catalogs served by the same server factory.
 */
export interface McpCatalog {
  readonly name: string;
  readonly instructions?: string;
  /** Advertise logging/setLevel (the fixture does; fazt logs to its own store). */
  readonly logging?: boolean;
  listTools(call: McpCallContext): Promise<Tool[]> | Tool[];
  callTool(name: string, args: Record<string, unknown>, call: McpCallContext): Promise<ToolOutcome>;
  listResources(call: McpCallContext): Promise<Resource[]> | Resource[];
  listTemplates(call: McpCallContext): Promise<ResourceTemplateType[]> | ResourceTemplateType[];
  readResource(uri: string, call: McpCallContext): Promise<ReadResourceResult | InputRequiredResult>;
  listPrompts(call: McpCallContext): Promise<Prompt[]> | Prompt[];
  getPrompt(name: string, args: Record<string, string>, call: McpCallContext): Promise<GetPromptResult | InputRequiredResult>;
  /** Tools that run as tasks, and where those tasks live. */
  readonly tasks?: McpTaskBackend;
  complete(ref: { type: string; name?: string; uri?: string }, arg: { name: string; value: string }, call: McpCallContext): Promise<CompleteResult['completion']>;
}

/** A tool error result the model can read: code first, then what to do. */
export function toolError(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `${code}: ${message}` }] };
}
