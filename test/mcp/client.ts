import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export type Era = '2025' | '2026';

export interface ConnectOptions {
  token?: string;
  era?: Era;
  /** Answer elicitation requests (declares the elicitation capability). */
  elicit?: (params: { message: string; requestedSchema?: unknown }) => { action: string; content?: Record<string, unknown> } | Promise<{ action: string; content?: Record<string, unknown> }>;
  /** Lend a model: answer sampling/createMessage requests (declares the sampling capability). */
  sample?: (params: { messages: { role: string; content: { type: string; text?: string } }[]; systemPrompt?: string; maxTokens: number }) => { model: string; text: string } | Promise<{ model: string; text: string }>;
  sse?: boolean;
  headers?: Record<string, string>;
}

/** A real SDK client over Streamable HTTP (either era) or legacy SSE. */
export async function connect(url: string, opts: ConnectOptions = {}): Promise<Client> {
  const client = new Client(
    { name: 'fazt-test', version: '1.0.0' },
    {
      capabilities: { ...(opts.elicit ? { elicitation: { form: {} } } : {}), ...(opts.sample ? { sampling: {} } : {}) },
      ...(opts.era === '2026' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
    } as never,
  );
  if (opts.elicit) {
    const answer = opts.elicit;
    client.setRequestHandler('elicitation/create', async (req) => (await answer(req.params as never)) as never);
  }
  if (opts.sample) {
    const lend = opts.sample;
    client.setRequestHandler('sampling/createMessage', async (req) => {
      const r = await lend(req.params as never);
      return { role: 'assistant', model: r.model, content: { type: 'text', text: r.text }, stopReason: 'endTurn' } as never;
    });
  }
  const headers = { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers };
  const transport = opts.sse
    ? new SSEClientTransport(new URL(url), { requestInit: { headers }, eventSourceInit: { fetch: (u: string | URL, init?: RequestInit) => fetch(u, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }) } } as never)
    : new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  await client.connect(transport as never);
  return client;
}

export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? '').join('\n');
}
