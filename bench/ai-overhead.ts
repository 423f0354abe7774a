// What fazt adds to a model call: ai.complete (pipeline, audit, provider choice, key
// opened from the secrets store, outbound redaction, budget check, usage row) against
// the same AI SDK call made directly, both to one loopback Anthropic Messages server.
// Calls alternate one by one so machine noise hits both alike.
// Run: node dist/bench/ai-overhead.js   (loopback only)
import { createAnthropic } from '@ai-sdk/anthropic';
import { generateText } from 'ai';
import { OWNER_CAPS } from '../src/auth/tokens.js';
import type { Caller } from '../src/kernel/ops/define.js';
import { bootServer } from '../src/server/boot.js';
import { readClientConfig } from '../src/server/client-config.js';
import { anthropicServer } from '../test/ai/contract-servers.js';
import { tempDir } from '../test/helpers/temp.js';

const N = Number(process.env.N ?? 400);
const WARMUP = Number(process.env.WARMUP ?? 200);
const KEY = 'sk-ant-bench-0000000000000000000000';
const OWNER: Caller = { kind: 'owner', name: 'owner', caps: OWNER_CAPS, human: true };
const PROMPT = 'How is my server doing? Memory 61 %, p99 38 ms, 0 errors in the last hour, 3 deploys today.';

type Act = () => Promise<unknown>;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)];

async function paired(base: Act, ours: Act): Promise<{ b: number[]; f: number[] }> {
  for (let i = 0; i < WARMUP; i++) (await base(), await ours());
  const all = { b: [] as number[], f: [] as number[] };
  for (let i = 0; i < N; i++) {
    for (const [k, act] of [['b', base], ['f', ours]] as const) {
      const s = performance.now();
      await act();
      all[k].push(performance.now() - s);
    }
  }
  return all;
}

async function main(): Promise<void> {
  const provider = await anthropicServer();
  const tmp = tempDir();
  const s = await bootServer({ port: 0, seedExample: false, dataDir: tmp.dir });
  const token = s.ownerKey ?? readClientConfig(tmp.dir)!.token;
  await s.kernel.call(OWNER, 'ai.providers.set', { provider: 'anthropic', apiKey: KEY, baseUrl: provider.url }, { surface: 'system' });
  const model = createAnthropic({ apiKey: KEY, baseURL: provider.url })('claude-sonnet-4-5');
  const direct: Act = () => generateText({ model, prompt: PROMPT, maxRetries: 0 });
  const inProcess: Act = () => s.kernel.call(OWNER, 'ai.complete', { prompt: PROMPT }, { surface: 'system' });
  const overHttp: Act = async () => {
    const r = await fetch(`${s.url}/api/ops/ai.complete`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ prompt: PROMPT }) });
    if (r.status !== 200) throw new Error(`ai.complete answered ${r.status}: ${await r.text()}`);
    await r.json();
  };

  const rows: string[][] = [];
  for (const [label, act] of [['ai.complete via kernel.invoke', inProcess], ['ai.complete over HTTP', overHttp]] as const) {
    const { b, f } = await paired(direct, act);
    const [b50, f50, b99, f99] = [pct(b, 0.5), pct(f, 0.5), pct(b, 0.99), pct(f, 0.99)];
    rows.push([label, b50.toFixed(2), f50.toFixed(2), (f50 - b50).toFixed(2), (f50 / b50).toFixed(2), b99.toFixed(2), f99.toFixed(2)]);
  }
  const head = ['path', 'SDK direct p50 ms', 'fazt p50 ms', 'added p50 ms', 'ratio', 'SDK p99 ms', 'fazt p99 ms'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(`ai.complete overhead, ${N} paired calls each (goal: added p50 ≤ 2 ms)`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  await s.stop();
  await provider.close();
  tmp.cleanup();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
