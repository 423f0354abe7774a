import assert from 'node:assert/strict';
import type { TestServer } from '../helpers/server.js';

/** Calls a costly or destructive op as a model would (no present human): it must halt with this reason. */
export async function haltedWith(s: TestServer, op: string, input: unknown, reason: RegExp): Promise<string> {
  const r = await s.op(op, input);
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal(r.body.halted, true);
  assert.match(r.body.reason, reason);
  return r.body.haltId;
}

/** The owner approves at the keyboard; returns the decided halt (result or error inside). */
export async function approve(s: TestServer, haltId: string): Promise<any> {
  const r = await s.op('halt.approve', { id: haltId }, { human: true });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}
