import { inputRequired, inputResponse, ProtocolError, ProtocolErrorCode, type CallToolResult, type Tool } from '@modelcontextprotocol/server';
import { toolError, type McpCallContext, type McpCatalog, type ToolOutcome } from './catalog.js';
import { HEADER_TOOL } from './conformance-headers.js';
import { fixtureTasks, greet, runTaskToolDirectly, TASK_FIXTURE_TOOLS } from './conformance-tasks.js';
import { INPUT_REQUIRED_PROMPT, INPUT_REQUIRED_TOOLS, inputRequiredPrompt } from './conformance-input-required.js';

/**
 * The fixtures the official conformance suite expects (`fazt mcp start
 * --conformance`). Served by the same endpoint and server factory as
 * mcp.kernel; only the catalog differs. Elicitation and sampling use
 * input_required, which the SDK fulfils with real requests on 2025 sessions.
 */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';
const EMPTY = { type: 'object', properties: {} } as Tool['inputSchema'];
const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Handler = (args: Record<string, unknown>, call: McpCallContext) => Promise<ToolOutcome> | ToolOutcome;

function elicitTool(key: string, message: (a: Record<string, unknown>) => string, schema: Record<string, unknown>, label: string): Handler {
  return (args, { ctx }) => {
    const r = inputResponse(ctx.mcpReq.inputResponses, key);
    if (r.kind === 'elicit') return text(`${label}: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`);
    return inputRequired({ inputRequests: { [key]: { method: 'elicitation/create', params: { mode: 'form', message: message(args), requestedSchema: schema } } as never } });
  };
}

const TOOLS: { def: Tool; run: Handler }[] = [
  { def: { name: 'test_simple_text', description: 'Tests simple text content response', inputSchema: EMPTY }, run: () => text('This is a simple text response for testing.') },
  { def: { name: 'test_image_content', description: 'Tests image content response', inputSchema: EMPTY }, run: () => ({ content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] }) },
  { def: { name: 'test_audio_content', description: 'Tests audio content response', inputSchema: EMPTY }, run: () => ({ content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }] }) },
  { def: { name: 'test_embedded_resource', description: 'Tests embedded resource content response', inputSchema: EMPTY }, run: () => ({ content: [{ type: 'resource', resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } }] }) },
  {
    def: { name: 'test_multiple_content_types', description: 'Tests response with multiple content types (text, image, resource)', inputSchema: EMPTY },
    run: () => ({ content: [
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: PNG, mimeType: 'image/png' },
      { type: 'resource', resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) } },
    ] }),
  },
  {
    def: { name: 'test_tool_with_logging', description: 'Tests tool that emits log messages during execution', inputSchema: EMPTY },
    run: async (_a, { ctx }) => {
      for (const m of ['Tool execution started', 'Tool processing data', 'Tool execution completed']) {
        await ctx.mcpReq.notify({ method: 'notifications/message', params: { level: 'info', data: m } });
        await sleep(50);
      }
      return text('Tool with logging executed successfully');
    },
  },
  {
    def: { name: 'test_tool_with_progress', description: 'Tests tool that reports progress notifications', inputSchema: EMPTY },
    run: async (_a, { ctx }) => {
      const progressToken = ctx.mcpReq._meta?.progressToken ?? 0;
      for (const p of [0, 50, 100]) {
        await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress: p, total: 100, message: `Completed step ${p} of 100` } });
        if (p < 100) await sleep(50);
      }
      return text(String(progressToken));
    },
  },
  {
    def: { name: 'test_reconnection', description: 'Closes its SSE stream mid-call, then answers: the client resumes with Last-Event-ID', inputSchema: EMPTY },
    run: async (_a, { ctx }) => {
      ctx.http?.closeSSE?.();
      await sleep(200);
      return text('Reconnection test completed');
    },
  },
  { def: { name: 'test_error_handling', description: 'Tests error response handling', inputSchema: EMPTY }, run: () => toolError('ERROR', 'This tool intentionally returns an error for testing') },
  {
    def: { name: 'test_sampling', description: 'Tests server-initiated sampling (LLM completion request)', inputSchema: { type: 'object', properties: { prompt: { type: 'string', description: 'The prompt to send to the LLM' } }, required: ['prompt'] } },
    run: (args, { ctx }) => {
      const r = inputResponse(ctx.mcpReq.inputResponses, 'sample');
      if (r.kind === 'sampling') {
        const c = (r.result as { content?: { text?: string } }).content;
        return text(`LLM response: ${c?.text ?? 'No response'}`);
      }
      return inputRequired({ inputRequests: { sample: inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: String(args.prompt ?? '') } }], maxTokens: 100 }) } });
    },
  },
  {
    def: { name: 'test_elicitation', description: 'Tests server-initiated elicitation (user input request)', inputSchema: { type: 'object', properties: { message: { type: 'string', description: 'The message to show the user' } }, required: ['message'] } },
    run: elicitTool('input', (a) => String(a.message ?? ''), { type: 'object', properties: { response: { type: 'string', description: "User's response" } }, required: ['response'] }, 'User response'),
  },
  {
    def: { name: 'test_elicitation_sep1034_defaults', description: 'Tests elicitation with default values per SEP-1034', inputSchema: EMPTY },
    run: elicitTool('defaults', () => 'Please review and update the form fields with defaults', {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'User name', default: 'John Doe' },
        age: { type: 'integer', description: 'User age', default: 30 },
        score: { type: 'number', description: 'User score', default: 95.5 },
        status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
        verified: { type: 'boolean', description: 'Verification status', default: true },
      },
      required: [],
    }, 'Elicitation completed'),
  },
  {
    def: { name: 'test_elicitation_sep1330_enums', description: 'Tests elicitation with enum schema improvements per SEP-1330', inputSchema: EMPTY },
    run: elicitTool('enums', () => 'Please select options from the enum fields', {
      type: 'object',
      properties: {
        untitledSingle: { type: 'string', description: 'Select one option', enum: ['option1', 'option2', 'option3'] },
        titledSingle: { type: 'string', description: 'Select one option with titles', oneOf: [{ const: 'value1', title: 'First Option' }, { const: 'value2', title: 'Second Option' }, { const: 'value3', title: 'Third Option' }] },
        legacyEnum: { type: 'string', description: 'Select one option (legacy)', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
        untitledMulti: { type: 'array', description: 'Select multiple options', minItems: 1, maxItems: 3, items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
        titledMulti: { type: 'array', description: 'Select multiple options with titles', minItems: 1, maxItems: 3, items: { anyOf: [{ const: 'value1', title: 'First Choice' }, { const: 'value2', title: 'Second Choice' }, { const: 'value3', title: 'Third Choice' }] } },
      },
      required: [],
    }, 'Elicitation completed'),
  },
  {
    def: {
      name: 'json_schema_2020_12_tool', description: 'Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)',
      inputSchema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object',
        $defs: { address: { $anchor: 'addressDef', type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
        properties: {
          name: { type: 'string' }, address: { $ref: '#/$defs/address' },
          contactMethod: { type: 'string', enum: ['phone', 'email'] }, phone: { type: 'string' }, email: { type: 'string' },
        },
        allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
        if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
        then: { required: ['phone'] },
        else: { required: ['email'] },
        additionalProperties: false,
      } as Tool['inputSchema'],
    },
    run: (args) => text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`),
  },
  ...INPUT_REQUIRED_TOOLS,
  HEADER_TOOL,
  {
    def: { name: 'test_streaming_elicitation', description: 'Asks for input on its response stream: an input_required result, never a server-to-client request', inputSchema: EMPTY },
    run: elicitTool('answer', () => 'Anything to add?', { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] }, 'Answer'),
  },
  {
    def: { name: 'test_logging_tool', description: 'Logs through the SDK, which only sends what the request asked for with its log level', inputSchema: EMPTY },
    run: async (_a, { ctx }) => {
      await ctx.mcpReq.log('info', 'test_logging_tool ran');
      return text('Logged at info');
    },
  },
];

/** Added and removed by test_trigger_tool_change, so the list really changes. */
const DYNAMIC_TOOL: Tool = { name: 'test_dynamic_tool', description: 'Present after an odd number of test_trigger_tool_change calls', inputSchema: EMPTY };
let dynamicToolListed = false;

export interface FixtureHooks {
  /** Tells listeners that the tool list changed. */
  toolsChanged?: () => void;
  /** Tells listeners that the prompt list changed. */
  promptsChanged?: () => void;
}

/** Added and removed by test_trigger_prompt_change, so the prompt list really changes. */
const DYNAMIC_PROMPT = { name: 'test_dynamic_prompt', description: 'Present after an odd number of test_trigger_prompt_change calls' };
let dynamicPromptListed = false;
const TRIGGER_PROMPT_TOOL: Tool = { name: 'test_trigger_prompt_change', description: 'Adds or removes test_dynamic_prompt and announces the changed prompt list', inputSchema: EMPTY };

const TRIGGER_TOOL: Tool = { name: 'test_trigger_tool_change', description: 'Adds or removes test_dynamic_tool and announces the changed tool list', inputSchema: EMPTY };

const RESOURCES = [
  { uri: 'test://static-text', name: 'static-text', title: 'Static Text Resource', description: 'A static text resource for testing', mimeType: 'text/plain', text: 'This is the content of the static text resource.' },
  { uri: 'test://static-binary', name: 'static-binary', title: 'Static Binary Resource', description: 'A static binary resource (image) for testing', mimeType: 'image/png', blob: PNG },
  { uri: 'test://watched-resource', name: 'watched-resource', title: 'Watched Resource', description: 'A resource that auto-updates every 3 seconds', mimeType: 'text/plain', text: 'Watched resource content' },
];

export function conformanceCatalog(hooks: FixtureHooks = {}): McpCatalog {
  return {
    name: 'fazt-conformance',
    logging: true,
    tasks: fixtureTasks,
    listTools: () => [...TOOLS.map((t) => t.def), TRIGGER_TOOL, TRIGGER_PROMPT_TOOL, ...TASK_FIXTURE_TOOLS, ...(dynamicToolListed ? [DYNAMIC_TOOL] : [])],
    async callTool(name, args, call) {
      if (name === 'greet') return greet(args);
      const direct = await runTaskToolDirectly(name, args);
      if (direct) return direct;
      if (name === TRIGGER_TOOL.name) {
        dynamicToolListed = !dynamicToolListed;
        hooks.toolsChanged?.();
        return text(`test_dynamic_tool is now ${dynamicToolListed ? 'listed' : 'gone'}`);
      }
      if (name === TRIGGER_PROMPT_TOOL.name) {
        dynamicPromptListed = !dynamicPromptListed;
        hooks.promptsChanged?.();
        return text(`test_dynamic_prompt is now ${dynamicPromptListed ? 'listed' : 'gone'}`);
      }
      if (name === DYNAMIC_TOOL.name && dynamicToolListed) return text('Dynamic tool called');
      const t = TOOLS.find((x) => x.def.name === name);
      if (!t) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool '${name}'.`);
      return t.run(args, call);
    },
    listResources: () => RESOURCES.map(({ text: _t, blob: _b, ...r }) => r),
    listTemplates: () => [{ uriTemplate: 'test://template/{id}/data', name: 'template', title: 'Resource Template', description: 'A resource template with parameter substitution', mimeType: 'application/json' }],
    async readResource(uri) {
      const r = RESOURCES.find((x) => x.uri === uri);
      if (r) return { contents: [{ uri, mimeType: r.mimeType, ...(r.blob ? { blob: r.blob } : { text: r.text! }) }] };
      const m = /^test:\/\/template\/([^/]+)\/data$/.exec(uri);
      if (m) return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify({ id: m[1], templateTest: true, data: `Data for ID: ${m[1]}` }) }] };
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource ${uri} not found`, { uri });
    },
    listPrompts: () => [
      { name: 'test_simple_prompt', title: 'Simple Test Prompt', description: 'A simple prompt without arguments' },
      { name: 'test_prompt_with_arguments', title: 'Prompt With Arguments', description: 'A prompt with required arguments', arguments: [{ name: 'arg1', description: 'First test argument', required: true }, { name: 'arg2', description: 'Second test argument', required: true }] },
      { name: 'test_prompt_with_embedded_resource', title: 'Prompt With Embedded Resource', description: 'A prompt that includes an embedded resource', arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }] },
      { name: 'test_prompt_with_image', title: 'Prompt With Image', description: 'A prompt that includes image content' },
      INPUT_REQUIRED_PROMPT,
      ...(dynamicPromptListed ? [DYNAMIC_PROMPT] : []),
    ],
    async getPrompt(name, args, call) {
      switch (name) {
        case INPUT_REQUIRED_PROMPT.name:
          return inputRequiredPrompt(call);
        case DYNAMIC_PROMPT.name:
          if (!dynamicPromptListed) break;
          return { messages: [{ role: 'user', content: { type: 'text', text: 'This prompt comes and goes.' } }] };
        case 'test_simple_prompt':
          return { messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }] };
        case 'test_prompt_with_arguments':
          return { messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'` } }] };
        case 'test_prompt_with_embedded_resource':
          return { messages: [
            { role: 'user', content: { type: 'resource', resource: { uri: args.resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
            { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
          ] };
        case 'test_prompt_with_image':
          return { messages: [
            { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
            { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
          ] };
      }
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt '${name}'.`);
    },
    async complete() {
      return { values: [], total: 0, hasMore: false };
    },
  };
}
