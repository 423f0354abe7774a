import assert from 'node:assert/strict';
import type { Config } from '../../src/kernel/config.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from '../runtime/app-client.js';

export { appRequest, deploy };

export const GOOD_API = 'export default () => ({ status: 200, body: { ok: true } })';
export const BAD_API = 'export default () => { throw new Error("checkout exploded") }';

/**
 * A real server whose beats run only on demand (pulse.beat), judging errors after a few requests.
 * Scenarios raise and clear the same issue seconds apart on purpose, so a return is not grouped as a flap.
 */
export async function agentServer(config: Partial<Config> = {}): Promise<TestServer> {
  const s = await startServer({ ...config, extra: { 'pulse.interval': '1h', 'agent.groupWait': '0s', ...(config.extra ?? {}) } });
  const r = await s.op('pulse.configure', { thresholds: { minRequests: 5 } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return s;
}

export async function ok(s: TestServer, name: string, input: unknown = {}, opts: { human?: boolean } = {}): Promise<any> {
  const r = await s.op(name, input, opts);
  assert.equal(r.status, 200, `${name}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Runs a beat, then waits until the agent has finished everything that beat set off. */
export async function beat(s: TestServer): Promise<any> {
  const b = await ok(s, 'pulse.beat');
  await s.kernel.services.agent.idle();
  return b;
}

export async function hit(s: TestServer, slug: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await appRequest(s, slug, `/api/x?i=${i}`)).status);
  return out;
}

export async function decisions(s: TestServer, input: Record<string, unknown> = {}): Promise<any[]> {
  return (await ok(s, 'agent.decisions', { limit: 500, ...input })).decisions;
}

export async function agentAudit(s: TestServer): Promise<any[]> {
  return (await ok(s, 'audit.query', { caller: 'agent', limit: 1000 })).entries;
}

/**
 * The safety property on the audit trail: every destructive or costly call made as the
 * agent either halted, or ran only through a halt the owner approved.
 */
export async function assertNothingUnsafeRan(s: TestServer): Promise<void> {
  const rows = await agentAudit(s);
  for (const r of rows) {
    const op = s.kernel.registry.get(r.op);
    const risk = op?.risk;
    if (risk !== 'destructive' && risk !== 'costly') continue;
    if (r.outcome === 'halted') continue;
    assert.equal(r.surface, 'halt', `a ${risk} ${r.op} ran as the agent outside a halt: ${JSON.stringify(r)}`);
    const halt = s.kernel.halts.get(r.haltId);
    assert.ok(halt && halt.decidedBy && halt.decidedBy !== 'agent' && ['approved', 'failed'].includes(halt.status), `ran without an owner's approval: ${JSON.stringify(r)}`);
  }
}

export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A webhook channel to a loopback receiver (the owner's phone, in effect). */
export const WEBHOOK_SECRET = 'whsec_' + Buffer.from('agent-test-signing-key-0123456789').toString('base64');
