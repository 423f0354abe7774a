import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a loopback provider saw: enough to assert model, headers and (redacted) content. */
export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

/** A canned failure the next request gets instead of an answer. */
export interface Failure {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface ContractServer {
  url: string;
  received: Received[];
  /** Answers the next requests with these failures, in order. */
  failNext(...f: Failure[]): void;
  /** The text the model "writes"; streamed in pieces of `chunk` characters. */
  reply: { text: string; chunk: number; inputTokens: number; outputTokens: number; object?: unknown };
  close(): Promise<void>;
}

type Handler = (req: Received, res: ServerResponse, s: ContractServer) => void;

async function serve(handler: Handler): Promise<ContractServer> {
  const failures: Failure[] = [];
  const state = {} as ContractServer;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        /* keep text */
      }
      const r: Received = { path: req.url ?? '', headers: req.headers, body };
      state.received.push(r);
      const f = failures.shift();
      if (f) {
        res.writeHead(f.status, { 'content-type': 'application/json', ...f.headers });
        return res.end(JSON.stringify(f.body));
      }
      handler(r, res, state);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(state, {
    url: `http://127.0.0.1:${port}/v1`,
    received: [],
    failNext: (...f: Failure[]) => failures.push(...f),
    reply: { text: 'All systems nominal.', chunk: 5, inputTokens: 1200, outputTokens: 300 },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  });
  return state;
}

function pieces(text: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += n) out.push(text.slice(i, i + n));
  return out;
}

function sse(res: ServerResponse, frames: { event?: string; data: unknown }[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const f of frames) res.write(`${f.event ? `event: ${f.event}\n` : ''}data: ${typeof f.data === 'string' ? f.data : JSON.stringify(f.data)}\n\n`);
  res.end();
}

/**
 * Anthropic Messages API (POST /v1/messages), as documented: a JSON message, or
 * with stream:true the SSE sequence message_start, content_block_start,
 * content_block_delta (text_delta)…, content_block_stop, message_delta, message_stop.
 * Errors are `{type:'error', error:{type, message}}` (429 rate_limit_error, 529 overloaded_error).
 */
export function anthropicServer(): Promise<ContractServer> {
  return serve((r, res, s) => {
    if (r.path !== '/v1/messages') return void (res.writeHead(404), res.end());
    const { text, chunk, inputTokens, outputTokens, object } = s.reply;
    const content = object !== undefined ? JSON.stringify(object) : text;
    const id = 'msg_01' + Math.random().toString(36).slice(2, 10);
    if (!r.body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({
        id, type: 'message', role: 'assistant', model: r.body.model, content: [{ type: 'text', text: content }],
        stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: outputTokens },
      }));
    }
    sse(res, [
      { event: 'message_start', data: { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: r.body.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: 1 } } } },
      { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
      { event: 'ping', data: { type: 'ping' } },
      ...pieces(content, chunk).map((t) => ({ event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } } })),
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: outputTokens } } },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ]);
  });
}

/**
 * OpenAI Chat Completions (POST /v1/chat/completions) and Embeddings (POST /v1/embeddings):
 * a chat.completion object, or with stream:true `chat.completion.chunk` frames, a final
 * usage chunk when stream_options.include_usage, then `data: [DONE]`. Ollama's
 * OpenAI-compatible API (`:11434/v1`) answers the same shapes.
 */
export function openaiServer(): Promise<ContractServer> {
  return serve((r, res, s) => {
    const { text, chunk, inputTokens, outputTokens, object } = s.reply;
    if (r.path === '/v1/embeddings') {
      const inputs: string[] = Array.isArray(r.body.input) ? r.body.input : [r.body.input];
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({
        object: 'list', model: r.body.model,
        data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: [t.length / 100, 0.5, -0.25, 0.125] })),
        usage: { prompt_tokens: inputs.join(' ').split(/\s+/).length, total_tokens: inputs.join(' ').split(/\s+/).length },
      }));
    }
    if (r.path !== '/v1/chat/completions') return void (res.writeHead(404), res.end());
    const content = object !== undefined ? JSON.stringify(object) : text;
    const id = 'chatcmpl-' + Math.random().toString(36).slice(2, 10);
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens };
    if (!r.body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({
        id, object: 'chat.completion', created, model: r.body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage,
      }));
    }
    const frame = (delta: unknown, finish: string | null) => ({ data: { id, object: 'chat.completion.chunk', created, model: r.body.model, choices: [{ index: 0, delta, finish_reason: finish }] } });
    sse(res, [
      frame({ role: 'assistant', content: '' }, null),
      ...pieces(content, chunk).map((t) => frame({ content: t }, null)),
      frame({}, 'stop'),
      ...(r.body.stream_options?.include_usage ? [{ data: { id, object: 'chat.completion.chunk', created, model: r.body.model, choices: [], usage } }] : []),
      { data: '[DONE]' },
    ]);
  });
}
