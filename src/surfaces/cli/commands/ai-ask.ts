import { readSse } from '../../../events/sse-client.js';
import { flagString } from '../args.js';
import type { CliCommand } from '../command.js';
import { CliError } from '../context.js';
import { printResponse } from '../op-commands.js';

export const aiAsk: CliCommand = {
  words: ['ai', 'ask'],
  summary: 'Ask the configured model; the answer prints as it is written',
  usage: `fazt ai ask <question> [--system TEXT] [--model ID] [--provider ID] [--max-tokens N] [--json]

Sends the question through ai.complete and prints the answer as it streams, then the
model, tokens and cost on stderr. Secrets and fazt tokens are removed before it is sent.
Configure a provider first: fazt ai providers set --provider anthropic --api-key …

Options:
  --system TEXT     system prompt
  --model ID        model id (default: the provider's default model)
  --provider ID     anthropic, openai, google or ollama (default: the default provider)
  --max-tokens N    longest answer
  --json            print the final result as JSON instead of streaming`,
  flags: ['system', 'model', 'provider', 'max-tokens'],
  async run(ctx, positionals) {
    if (!positionals.length) throw new CliError("Give a question, e.g. fazt ai ask 'why is my shop app slow?'", 2);
    const f = ctx.args.flags;
    const input: Record<string, unknown> = { prompt: positionals.join(' ') };
    for (const [flag, field] of [['system', 'system'], ['model', 'model'], ['provider', 'provider']] as const) {
      const v = flagString(f, flag);
      if (v !== undefined) input[field] = v;
    }
    const max = flagString(f, 'max-tokens');
    if (max !== undefined) {
      if (!/^\d+$/.test(max)) throw new CliError(`--max-tokens must be a whole number, got '${max}'.`, 2);
      input.maxTokens = Number(max);
    }
    const client = ctx.client();
    if (ctx.json) {
      const res = await client.callOp('ai.complete', input);
      return printResponse(ctx, res.status, res.body);
    }
    const res = await client.raw('/api/ops/ai.complete', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify(input) });
    if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return printResponse(ctx, res.status, body);
    }
    let code = 0;
    await readSse(res, (data, event) => {
      const d = data as Record<string, any>;
      if (event === 'delta') (ctx.io.write ?? ctx.io.out)(String(d.text));
      else if (event === 'result') {
        ctx.io.out('');
        ctx.io.err(`— ${d.provider}/${d.model}, ${d.usage.inputTokens} in / ${d.usage.outputTokens} out, $${Number(d.costUsd).toFixed(4)}, ${d.ms} ms`);
      } else if (event === 'error') code = printResponse(ctx, 500, { error: d });
      else if (event === 'halted') code = printResponse(ctx, 202, d);
    });
    return code;
  },
};
