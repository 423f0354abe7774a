import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
before(async () => (s = await startServer()));
after(() => s.close());

const pending = async () => (await s.op('halt.list', { status: 'pending' }, { human: true })).body.halts as { id: string; op: string; input: { id: string } }[];

test('the same destructive call repeated while pending returns the existing halt', async () => {
  await s.op('apps.create', { name: 'twice' });
  await s.op('apps.create', { name: 'other' });
  const first = await s.op('apps.delete', { id: 'twice' });
  const again = await s.op('apps.delete', { id: 'twice' });
  assert.equal(first.status, 202);
  assert.equal(again.status, 202);
  assert.equal(again.body.haltId, first.body.haltId);
  assert.equal(again.body.expiresAt, first.body.expiresAt);
  assert.equal((await pending()).filter((h) => h.input.id === 'twice').length, 1);

  const otherInput = await s.op('apps.delete', { id: 'other' });
  assert.notEqual(otherInput.body.haltId, first.body.haltId, 'another input is another halt');
  const { token } = s.kernel.tokens.create('deleter', 'token', ['kernel:apps:*'], null);
  const otherCaller = await s.op('apps.delete', { id: 'twice' }, { token });
  assert.equal(otherCaller.status, 202);
  assert.notEqual(otherCaller.body.haltId, first.body.haltId, 'another caller is another halt');
  assert.equal((await pending()).length, 3);

  const denied = await s.op('halt.deny', { id: first.body.haltId }, { human: true });
  assert.equal(denied.status, 200, JSON.stringify(denied.body));
  const afterDecision = await s.op('apps.delete', { id: 'twice' });
  assert.equal(afterDecision.status, 202);
  assert.notEqual(afterDecision.body.haltId, first.body.haltId, 'a decided halt is not reused');
});
