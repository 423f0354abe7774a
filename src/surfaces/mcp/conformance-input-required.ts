import { randomBytes } from 'node:crypto';
import {
  CLIENT_CAPABILITIES_META_KEY,
  createRequestStateCodec,
  inputRequired,
  inputResponse,
  type CallToolResult,
  type GetPromptResult,
  type InputRequest,
  type InputRequiredResult,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import type { McpCallContext, ToolOutcome } from './catalog.js';

/**
 * The conformance fixtures for multi-round-trip requests (input_required
 * results, 2026-07-28). On 2025 sessions the SDK fulfils the same returns
 * with real server-to-client requests, so one handler serves both eras.
 */

interface FixtureState {
  /** The tool or prompt the state was minted for. */
  name: string;
  round: number;
  name1?: string;
}

// One fixture process serves every round, so a per-process key is enough.
const codec = createRequestStateCodec<FixtureState>({
  key: randomBytes(32),
  ttlSeconds: 600,
  bind: (ctx: ServerContext) => ctx.mcpReq.method,
});

/** The fixture server's requestState verify hook: tampered or expired state answers -32602. */
export const verifyFixtureState = codec.verify;

const EMPTY = { type: 'object', properties: {} } as Tool['inputSchema'];
const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });
const form = (message: string, field: string, type = 'string'): InputRequest =>
  inputRequired.elicit({ mode: 'form', message, requestedSchema: { type: 'object', properties: { [field]: { type } }, required: [field] } } as never);
const sample = (prompt: string, maxTokens: number): InputRequest =>
  inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens });

type Handler = (args: Record<string, unknown>, call: McpCallContext) => Promise<ToolOutcome> | ToolOutcome;

function state(call: McpCallContext, name: string): FixtureState | undefined {
  const s = call.ctx.mcpReq.requestState<FixtureState>();
  return s && typeof s === 'object' && s.name === name ? s : undefined;
}

function accepted(call: McpCallContext, key: string): Record<string, unknown> | undefined {
  const r = inputResponse(call.ctx.mcpReq.inputResponses, key);
  return r.kind === 'elicit' ? (r.action === 'accept' ? (r.content ?? {}) : { declined: r.action }) : undefined;
}

function samplingText(call: McpCallContext, key: string): string | undefined {
  const r = inputResponse(call.ctx.mcpReq.inputResponses, key);
  if (r.kind !== 'sampling') return undefined;
  const c = r.result.content as { type?: string; text?: string } | undefined;
  return c?.type === 'text' ? (c.text ?? '') : '';
}

function roots(call: McpCallContext, key: string): string[] | undefined {
  const r = inputResponse(call.ctx.mcpReq.inputResponses, key);
  return r.kind === 'roots' ? r.roots.map((x) => x.uri) : undefined;
}

/** Capabilities the client declared: per request on 2026, at initialize on 2025. */
function clientCaps(call: McpCallContext): Record<string, unknown> {
  const env = call.ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const fromEnvelope = env?.[CLIENT_CAPABILITIES_META_KEY] as Record<string, unknown> | undefined;
  return fromEnvelope ?? (call.server.getClientCapabilities() as Record<string, unknown> | undefined) ?? {};
}

const ask = async (call: McpCallContext, inputRequests: Record<string, InputRequest>, s?: FixtureState): Promise<InputRequiredResult> =>
  inputRequired({ inputRequests, ...(s ? { requestState: await codec.mint(s, call.ctx) } : {}) });

/** Round 1 asks; a retry with the answer completes; a retry without it asks again. */
function single(key: string, request: () => InputRequest, answer: (call: McpCallContext) => string | undefined): Handler {
  return (_a, call) => {
    const done = answer(call);
    return done !== undefined ? text(done) : ask(call, { [key]: request() });
  };
}

/** State-carrying flow: the answer only counts with the state minted for this tool. */
function stateful(name: string, key: string, message: string): Handler {
  return (_a, call) => {
    const s = state(call, name);
    const r = accepted(call, key);
    if (s && r) return text(`state-ok: round ${s.round} confirmed ${JSON.stringify(r)}`);
    return ask(call, { [key]: form(message, 'ok', 'boolean') }, { name, round: 1 });
  };
}

const multipleInputs: Handler = async (_a, call) => {
  const name = 'test_input_required_result_multiple_inputs';
  const who = accepted(call, 'user_name');
  const greeting = samplingText(call, 'greeting');
  const dirs = roots(call, 'client_roots');
  if (state(call, name) && who && greeting !== undefined && dirs) {
    return text(`name=${JSON.stringify(who)}, greeting=${JSON.stringify(greeting)}, roots=${dirs.join(',')}`);
  }
  const missing: Record<string, InputRequest> = {};
  if (!who) missing.user_name = form('What is your name?', 'name');
  if (greeting === undefined) missing.greeting = sample('Generate a greeting', 50);
  if (!dirs) missing.client_roots = inputRequired.listRoots();
  return ask(call, Object.keys(missing).length ? missing : { user_name: form('What is your name?', 'name') }, { name, round: 1 });
};

const multiRound: Handler = async (_a, call) => {
  const name = 'test_input_required_result_multi_round';
  const s = state(call, name);
  const step1 = accepted(call, 'step1');
  const step2 = accepted(call, 'step2');
  if (s?.round === 2 && step2) return text(`${s.name1 ?? 'someone'} likes ${String(step2.color ?? '?')}`);
  if (s?.round === 1 && step1) {
    return ask(call, { step2: form('Step 2: What is your favorite color?', 'color') }, { name, round: 2, name1: String(step1.name ?? '') });
  }
  return ask(call, { step1: form('Step 1: What is your name?', 'name') }, { name, round: 1 });
};

/** Asks only for what the client declared it can do. */
const capabilities: Handler = async (_a, call) => {
  const caps = clientCaps(call);
  const answers = [accepted(call, 'user_name'), samplingText(call, 'capital_question'), roots(call, 'client_roots')].filter((x) => x !== undefined);
  if (answers.length) return text(`Received ${answers.length} answer(s): ${JSON.stringify(answers)}`);
  const requests: Record<string, InputRequest> = {};
  if (caps.elicitation) requests.user_name = form('What is your name?', 'name');
  if (caps.sampling) requests.capital_question = sample('What is the capital of France?', 100);
  if (caps.roots) requests.client_roots = inputRequired.listRoots();
  if (!Object.keys(requests).length) return text('The client declared no capability this tool could use, so it asked nothing.');
  return ask(call, requests);
};

export const INPUT_REQUIRED_TOOLS: { def: Tool; run: Handler }[] = [
  {
    def: { name: 'test_input_required_result_elicitation', description: 'Asks the user for a name with an input_required elicitation', inputSchema: EMPTY },
    run: single('user_name', () => form('What is your name?', 'name'), (call) => {
      const r = accepted(call, 'user_name');
      return r ? (r.declined ? `No name given (${String(r.declined)})` : `Hello, ${String(r.name ?? '')}!`) : undefined;
    }),
  },
  {
    def: { name: 'test_input_required_result_sampling', description: 'Asks the client LLM a question with an input_required sampling request', inputSchema: EMPTY },
    run: single('capital_question', () => sample('What is the capital of France?', 100), (call) => {
      const t = samplingText(call, 'capital_question');
      return t === undefined ? undefined : `Sampling response: ${t}`;
    }),
  },
  {
    def: { name: 'test_input_required_result_list_roots', description: 'Asks the client for its roots with an input_required roots/list request', inputSchema: EMPTY },
    run: single('client_roots', () => inputRequired.listRoots(), (call) => {
      const r = roots(call, 'client_roots');
      return r === undefined ? undefined : `Client roots: ${r.join(', ') || '(none)'}`;
    }),
  },
  {
    def: { name: 'test_input_required_result_request_state', description: 'Round-trips a signed requestState with an elicitation', inputSchema: EMPTY },
    run: stateful('test_input_required_result_request_state', 'confirm', 'Please confirm'),
  },
  {
    def: { name: 'test_input_required_result_tampered_state', description: 'Rejects a requestState that fails its integrity check', inputSchema: EMPTY },
    run: stateful('test_input_required_result_tampered_state', 'confirm', 'Please confirm'),
  },
  {
    def: { name: 'test_input_required_result_multiple_inputs', description: 'Asks for an elicitation, a sampling and a roots listing at once', inputSchema: EMPTY },
    run: multipleInputs,
  },
  {
    def: { name: 'test_input_required_result_multi_round', description: 'Two rounds of input_required with evolving requestState', inputSchema: EMPTY },
    run: multiRound,
  },
  {
    def: { name: 'test_input_required_result_capabilities', description: 'Only asks for input the client declared it can give', inputSchema: EMPTY },
    run: capabilities,
  },
  {
    def: { name: 'test_missing_capability', description: 'Needs sampling: a client that did not declare it gets -32021', inputSchema: EMPTY },
    run: single('completion', () => sample('Say hello', 20), (call) => {
      const t = samplingText(call, 'completion');
      return t === undefined ? undefined : `Sampled: ${t}`;
    }),
  },
];

export const INPUT_REQUIRED_PROMPT = {
  name: 'test_input_required_result_prompt',
  title: 'Prompt Needing Input',
  description: 'A prompt that asks the user for context with input_required before it is built',
};

export async function inputRequiredPrompt(call: McpCallContext): Promise<GetPromptResult | InputRequiredResult> {
  const r = accepted(call, 'user_context');
  if (!r) return ask(call, { user_context: form('What context should the prompt use?', 'context') });
  const context = r.declined ? '(none given)' : String(r.context ?? '');
  return { messages: [{ role: 'user', content: { type: 'text', text: `Use this context: ${context}` } }] };
}
