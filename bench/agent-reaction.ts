/**
 * How fast the agent reacts, and what it costs when nothing is wrong.
 * 1. Reaction: time from the `system.pulse.issue` event of a bad deploy to the
 *    audit row of the agent's rollback (the `op.deploy.rollback` event follows the
 *    row), against the rollback op called directly by the owner (baseline).
 * 2. Idle cost: CPU per beat on a healthy server with 100 apps with traffic,
 *    with the agent listening and with it stopped, in alternating blocks.
 * Run: node dist/bench/agent-reaction.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OWNER_CAPS } from '../src/auth/tokens.js';
import type { Caller } from '../src/kernel/ops/define.js';
import { bootServer, type RunningServer } from '../src/server/boot.js';

const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 15);
const BEATS = Number(process.env.BENCH_BEATS ?? 10);
const APPS = 100;
const OWNER: Caller = { kind: 'owner', name: 'owner', caps: [...OWNER_CAPS], human: true };
const GOOD = 'export default () => ({ status: 200, body: { ok: true } })';
const BAD = 'export default () => { throw new Error("boom") }';

async function boot(): Promise<{ server: RunningServer; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'fazt-bench-agent-'));
  const server = await bootServer({ dataDir: dir, port: 0, seedExample: false, extra: { 'pulse.interval': '1h' } });
  // The bench machine's own load is not an incident.
  await server.kernel.invoke(OWNER, 'pulse.configure', { thresholds: { minRequests: 5, cpuWarningPercent: 10_000, eventLoopP99WarningMs: 60_000, p99WarningMs: 60_000 } }, { surface: 'cli' });
  // Many incidents in a row: a churn budget of 10 per hour would (rightly) turn the later ones into questions.
  await server.kernel.invoke(OWNER, 'agent.configure', { budgets: { perHour: 200 } }, { surface: 'cli' });
  return { server, dir };
}

const deploy = (s: RunningServer, app: string, code: string) =>
  s.kernel.invoke(OWNER, 'deploy', { app, files: [{ path: 'api/main.js', content: code }] }, { surface: 'cli' });

function traffic(s: RunningServer, slug: string, n: number, status: number): void {
  for (let i = 0; i < n; i++) s.kernel.requests.emit({ appId: null, slug, kind: 'api', method: 'GET', path: '/api/x', status, durationMs: 3, bytes: 20, requestId: 'r' });
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const med = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];
const r2 = (n: number) => Math.round(n * 100) / 100;

async function reaction(): Promise<{ agent: number[]; direct: number[] }> {
  const { server, dir } = await boot();
  const agent: number[] = [];
  const direct: number[] = [];
  try {
    const k = server.kernel;
    const issueAt = new Map<string, number>();
    const done = new Map<string, () => void>();
    k.events.on('system.pulse.issue', (e) => {
      const key = String((e.data as { key: string }).key);
      if (key.startsWith('app.errors:') && !issueAt.has(key)) issueAt.set(key, performance.now());
    });
    k.events.on('op.deploy.rollback', (e) => {
      const d = e.data as { caller: string; outcome: string };
      if (d.caller !== 'agent' || d.outcome !== 'ok') return;
      for (const [slug, resolve] of done) (done.delete(slug), resolve());
    });
    await k.services.pulse.beat();
    for (let i = 0; i < INCIDENTS; i++) {
      const slug = `shop-${i}`;
      await deploy(server, slug, GOOD);
      traffic(server, slug, 10, 200);
      await k.services.pulse.beat();
      await deploy(server, slug, BAD);
      traffic(server, slug, 10, 500);
      const rolled = new Promise<void>((resolve) => done.set(slug, resolve));
      await k.services.pulse.beat();
      await rolled;
      const end = performance.now();
      agent.push(end - issueAt.get(`app.errors:${slug}`)!);
      // Baseline: the same rollback, asked for directly by the owner.
      await deploy(server, `${slug}-b`, GOOD);
      await deploy(server, `${slug}-b`, BAD);
      const t0 = performance.now();
      await k.invoke(OWNER, 'deploy.rollback', { app: `${slug}-b` }, { surface: 'cli' });
      direct.push(performance.now() - t0);
      await k.services.agent.idle();
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { agent, direct };
}

async function idleCost(): Promise<{ on: number[]; off: number[]; decisions: number }> {
  const { server, dir } = await boot();
  const on: number[] = [];
  const off: number[] = [];
  try {
    const k = server.kernel;
    const slugs: string[] = [];
    for (let i = 0; i < APPS; i++) slugs.push(k.services.apps.create(`app ${i}`, `app-${i}`).slug);
    const one = async (into: number[]) => {
      for (const s of slugs) traffic(server, s, 20, 200);
      const c0 = process.cpuUsage();
      await k.services.pulse.beat();
      await k.services.agent.idle();
      const c = process.cpuUsage(c0);
      into.push((c.user + c.system) / 1000);
    };
    await one([]);
    for (let block = 0; block < 2; block++) {
      for (let i = 0; i < BEATS; i++) await one(on);
      await k.services.agent.stop();
      for (let i = 0; i < BEATS; i++) await one(off);
      k.services.agent.start();
    }
    const last = k.services.pulse.store.latest()!;
    if (last.analysis.issues.length) console.log(`note: the last beat had issues: ${last.analysis.issues.map((i) => i.key).join(', ')}`);
    return { on, off, decisions: k.services.agent.journal.count() };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const r = await reaction();
  console.log(`agent reaction: pulse issue event → the agent's deploy.rollback audit row, ${INCIDENTS} bad deploys`);
  console.log('| path | median ms | p90 ms | max ms |');
  console.log('|---|---:|---:|---:|');
  console.log(`| owner calls deploy.rollback directly (baseline) | ${r2(med(r.direct))} | ${r2(p90(r.direct))} | ${r2(Math.max(...r.direct))} |`);
  console.log(`| agent: issue event → decision → rollback → audit row | ${r2(med(r.agent))} | ${r2(p90(r.agent))} | ${r2(Math.max(...r.agent))} |`);
  console.log(`ratio agent/direct (median): ${(med(r.agent) / med(r.direct)).toFixed(2)}×; target ≤ 1000 ms: ${Math.max(...r.agent) <= 1000 ? 'met' : 'NOT met'} (max ${r2(Math.max(...r.agent))} ms)`);

  const c = await idleCost();
  console.log(`\nidle cost: CPU per beat (beat + agent), healthy server with ${APPS} apps with traffic, ${c.on.length} beats each`);
  console.log('| agent | CPU ms/beat (median) | CPU ms/beat (p90) |');
  console.log('|---|---:|---:|');
  console.log(`| stopped (baseline) | ${r2(med(c.off))} | ${r2(p90(c.off))} |`);
  console.log(`| listening | ${r2(med(c.on))} | ${r2(p90(c.on))} |`);
  console.log(`agent CPU per beat (median difference): ${r2(med(c.on) - med(c.off))} ms; ratio ${(med(c.on) / med(c.off)).toFixed(3)}×; decisions made: ${c.decisions}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
