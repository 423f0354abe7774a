import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { z } from 'zod';
import { Kernel } from '../../src/kernel/kernel.js';
import { coreModule } from '../../src/kernel/core-module.js';
import type { KernelModule } from '../../src/kernel/module.js';
import { defineOp, type Caller } from '../../src/kernel/ops/define.js';
import { OpError } from '../../src/kernel/ops/errors.js';
import { tempDir } from '../helpers/temp.js';

const ran: unknown[] = [];

const testModule: KernelModule = {
  name: 'test',
  migrations: [{ version: 1, name: 'things', up: 'CREATE TABLE things (name TEXT PRIMARY KEY)' }],
  ops: [
    defineOp({
      name: 'things.add',
      title: 'Add thing',
      description: 'Adds a thing.',
      input: z.object({ name: z.string().min(1) }),
      output: z.object({ added: z.string() }),
      requires: 'kernel:things:write',
      risk: 'write',
      handler: ({ kernel }, { name }) => {
        kernel.db.prepare('INSERT INTO things (name) VALUES (?)').run(name);
        return { added: name };
      },
    }),
    defineOp({
      name: 'things.wipe',
      title: 'Wipe things',
      description: 'Deletes every thing.',
      input: z.object({ why: z.string() }),
      output: z.object({ wiped: z.number() }),
      requires: 'kernel:things:write',
      risk: 'destructive',
      describeHalt: (i) => `Wipe every thing because ${i.why}`,
      handler: ({ kernel }, input) => {
        ran.push(input);
        return { wiped: kernel.db.prepare('DELETE FROM things').run().changes };
      },
    }),
    defineOp({
      name: 'things.broken',
      title: 'Broken',
      description: 'Returns the wrong shape.',
      input: z.object({}),
      output: z.object({ n: z.number() }),
      requires: 'kernel:things:read',
      risk: 'read',
      handler: () => ({ n: 'not a number' }) as never,
    }),
    defineOp({
      name: 'things.fail',
      title: 'Fail',
      description: 'Throws a typed error.',
      input: z.object({}),
      output: z.object({}),
      requires: 'kernel:things:read',
      risk: 'read',
      handler: () => {
        throw new OpError('CONFLICT', 'nope');
      },
    }),
    defineOp({
      name: 'things.scoped',
      title: 'Scoped',
      description: 'Needs a capability built from the input.',
      input: z.object({ app: z.string() }),
      output: z.object({ ok: z.literal(true) }),
      requires: ['kernel:things:read', 'app:{app}:read'],
      risk: 'read',
      handler: () => ({ ok: true as const }),
    }),
  ],
};

const tmp = tempDir();
after(() => tmp.cleanup());
let kernel = new Kernel([coreModule, testModule], { dataDir: tmp.dir, haltTimeoutMs: 60_000 });
after(() => kernel.stop());

const model: Caller = { kind: 'token', name: 'model', caps: ['kernel:things:*'], human: false, tokenId: 'tok_model' };
const owner: Caller = { kind: 'owner', name: 'owner', caps: ['kernel:*'], human: true, tokenId: 'tok_owner' };
const reader: Caller = { kind: 'token', name: 'reader', caps: ['kernel:things:read'], human: false, tokenId: 'tok_reader' };

function lastAudit(op: string) {
  return kernel.audit.query({ op, limit: 1 })[0];
}

test('duplicate op names are refused at start-up', () => {
  const d = tempDir();
  try {
    assert.throws(() => new Kernel([coreModule, testModule, { name: 'dup', ops: [testModule.ops![0]] }], { dataDir: d.dir }), /duplicate op name 'things.add'/);
  } finally {
    d.cleanup();
  }
});

test('a successful call runs, is audited and emits op.<name>', async () => {
  const seen = kernel.events.next('op.things.add');
  const r = await kernel.invoke(model, 'things.add', { name: 'a' }, { surface: 'http' });
  assert.deepEqual(r, { status: 'ok', output: { added: 'a' } });
  const row = lastAudit('things.add');
  assert.equal(row.outcome, 'ok');
  assert.equal(row.caller, 'model');
  assert.equal(row.surface, 'http');
  assert.deepEqual(row.input, { name: 'a' });
  const e = await seen;
  assert.equal((e.data as { outcome: string }).outcome, 'ok');
});

test('invalid input is a BAD_INPUT listing the fields, and is audited', async () => {
  await assert.rejects(kernel.invoke(model, 'things.add', { name: 5 }, { surface: 'cli' }), (e: OpError) => {
    assert.equal(e.code, 'BAD_INPUT');
    assert.deepEqual((e.details!.fields as { path: string }[]).map((f) => f.path), ['name']);
    return true;
  });
  assert.equal(lastAudit('things.add').outcome, 'error');
  assert.equal(lastAudit('things.add').errorCode, 'BAD_INPUT');
});

test('a caller lacking the capability is FORBIDDEN naming it, and audited as denied', async () => {
  await assert.rejects(kernel.invoke(reader, 'things.add', { name: 'b' }, { surface: 'mcp' }), (e: OpError) => {
    assert.equal(e.code, 'FORBIDDEN');
    assert.match(e.message, /kernel:things:write/);
    return true;
  });
  assert.equal(lastAudit('things.add').outcome, 'denied');
  const row = kernel.db.prepare("SELECT COUNT(*) AS n FROM things WHERE name = 'b'").get() as { n: number };
  assert.equal(row.n, 0);
});

test('capability templates are filled from the input', async () => {
  const appReader: Caller = { kind: 'token', name: 'app-reader', caps: ['app:shop:read'], human: false };
  assert.equal((await kernel.invoke(appReader, 'things.scoped', { app: 'shop' }, { surface: 'http' })).status, 'ok');
  await assert.rejects(kernel.invoke(appReader, 'things.scoped', { app: 'blog' }, { surface: 'http' }), /app:blog:read/);
});

test('unknown ops are NOT_FOUND', async () => {
  await assert.rejects(kernel.invoke(owner, 'things.nope', {}, { surface: 'http' }), (e: OpError) => e.code === 'NOT_FOUND');
});

test('a handler returning the wrong shape is INTERNAL, never passed on', async () => {
  await assert.rejects(kernel.invoke(owner, 'things.broken', {}, { surface: 'http' }), (e: OpError) => e.code === 'INTERNAL');
  assert.equal(lastAudit('things.broken').outcome, 'error');
});

test('typed handler errors pass through with their code', async () => {
  await assert.rejects(kernel.invoke(owner, 'things.fail', {}, { surface: 'http' }), (e: OpError) => e.code === 'CONFLICT');
  assert.equal(lastAudit('things.fail').errorCode, 'CONFLICT');
});

test('a destructive call from a model becomes a persisted halt and does not run', async () => {
  ran.length = 0;
  const created = kernel.events.next('system.halt.created');
  const r = await kernel.invoke(model, 'things.wipe', { why: 'tidy' }, { surface: 'mcp' });
  assert.equal(r.status, 'halted');
  if (r.status !== 'halted') return;
  assert.equal(r.halt.reason, 'Wipe every thing because tidy');
  assert.equal(ran.length, 0);
  assert.equal(lastAudit('things.wipe').outcome, 'halted');
  assert.equal((await created).type, 'system.halt.created');
  const h = kernel.halts.get(r.halt.haltId)!;
  assert.equal(h.status, 'pending');
  assert.deepEqual(h.input, { why: 'tidy' });
});

test('the same call from a present human runs directly', async () => {
  ran.length = 0;
  const r = await kernel.invoke(owner, 'things.wipe', { why: 'mine' }, { surface: 'cli' });
  assert.equal(r.status, 'ok');
  assert.equal(ran.length, 1);
});

test('confirm (elicitation): accept runs, decline cancels, unavailable falls back to a halt', async () => {
  ran.length = 0;
  const accepted = await kernel.invoke(model, 'things.wipe', { why: 'yes' }, { surface: 'mcp', confirm: async () => ({ action: 'accept' }) });
  assert.equal(accepted.status, 'ok');
  assert.equal(ran.length, 1);
  await assert.rejects(
    kernel.invoke(model, 'things.wipe', { why: 'no' }, { surface: 'mcp', confirm: async () => ({ action: 'decline' }) }),
    (e: OpError) => e.code === 'CANCELED' && /Canceled by user/.test(e.message),
  );
  assert.equal(lastAudit('things.wipe').outcome, 'canceled');
  const fallback = await kernel.invoke(model, 'things.wipe', { why: 'later' }, { surface: 'mcp', confirm: async () => ({ action: 'unavailable' }) });
  assert.equal(fallback.status, 'halted');
  assert.equal(ran.length, 1);
});

test('approving a halt runs the stored call as the original caller and keeps the result', async () => {
  await kernel.invoke(model, 'things.add', { name: 'x' }, { surface: 'mcp' });
  const r = await kernel.invoke(model, 'things.wipe', { why: 'approve me' }, { surface: 'mcp' });
  assert.equal(r.status, 'halted');
  if (r.status !== 'halted') return;
  // The model cannot decide its own halt: halt.approve is for present humans only.
  await assert.rejects(kernel.invoke(model, 'halt.approve', { id: r.halt.haltId }, { surface: 'mcp' }), (e: OpError) => e.code === 'FORBIDDEN');
  const decided = await kernel.call<{ status: string; result: { wiped: number }; decidedBy: string }>(owner, 'halt.approve', { id: r.halt.haltId }, { surface: 'cli' });
  assert.equal(decided.status, 'approved');
  assert.equal(decided.decidedBy, 'owner');
  assert.ok(decided.result.wiped >= 1);
  // Run by the halt queue, audited with the halt id.
  const row = kernel.audit.query({ op: 'things.wipe', surface: 'halt', limit: 1 })[0];
  assert.equal(row.outcome, 'ok');
  assert.equal(row.haltId, r.halt.haltId);
  await assert.rejects(kernel.invoke(owner, 'halt.approve', { id: r.halt.haltId }, { surface: 'cli' }), (e: OpError) => e.code === 'CONFLICT');
});

test('denying a halt never runs it; unknown halts are NOT_FOUND', async () => {
  ran.length = 0;
  const r = await kernel.invoke(model, 'things.wipe', { why: 'deny me' }, { surface: 'mcp' });
  if (r.status !== 'halted') return assert.fail('expected a halt');
  const d = await kernel.call<{ status: string }>(owner, 'halt.deny', { id: r.halt.haltId }, { surface: 'cli' });
  assert.equal(d.status, 'denied');
  assert.equal(ran.length, 0);
  await assert.rejects(kernel.invoke(owner, 'halt.deny', { id: 'halt_nope' }, { surface: 'cli' }), (e: OpError) => e.code === 'NOT_FOUND');
});

test('halt.status: the creator sees its own halt, others do not', async () => {
  const r = await kernel.invoke(model, 'things.wipe', { why: 'mine to check' }, { surface: 'mcp' });
  if (r.status !== 'halted') return assert.fail('expected a halt');
  const own = await kernel.call<{ id: string }>(model, 'halt.status', { id: r.halt.haltId }, { surface: 'mcp' });
  assert.equal(own.id, r.halt.haltId);
  await assert.rejects(kernel.invoke(reader, 'halt.status', { id: r.halt.haltId }, { surface: 'mcp' }), (e: OpError) => e.code === 'NOT_FOUND');
});

test('a halt survives a restart and expires to deny when nobody answers', async () => {
  const r = await kernel.invoke(model, 'things.wipe', { why: 'across restarts' }, { surface: 'mcp' });
  if (r.status !== 'halted') return assert.fail('expected a halt');
  await kernel.stop();
  kernel = new Kernel([coreModule, testModule], { dataDir: tmp.dir, haltTimeoutMs: 60_000 });
  assert.equal(kernel.halts.get(r.halt.haltId)!.status, 'pending');
  // Move its deadline into the past: the default decision (deny) applies.
  kernel.db.prepare('UPDATE halts SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), r.halt.haltId);
  const h = kernel.halts.get(r.halt.haltId)!;
  assert.equal(h.status, 'expired');
  assert.equal(h.decidedBy, 'expiry');
});

test('a write is on disk before its result returns; a successful read is written within moments and on stop', async () => {
  const rawCount = (db: { prepare(sql: string): { get(...a: unknown[]): unknown } }, op: string) =>
    (db.prepare('SELECT count(*) AS n FROM audit WHERE op = ?').get(op) as { n: number }).n;
  const writesBefore = rawCount(kernel.db, 'things.add');
  await kernel.invoke(model, 'things.add', { name: 'on-disk' }, { surface: 'http' });
  assert.equal(rawCount(kernel.db, 'things.add'), writesBefore + 1, 'a write is audited synchronously');

  const readsBefore = rawCount(kernel.db, 'things.scoped');
  const readCaller: Caller = { ...reader, caps: ['kernel:things:read', 'app:*'] };
  await kernel.invoke(readCaller, 'things.scoped', { app: 'x' }, { surface: 'http' });
  assert.equal(kernel.audit.query({ op: 'things.scoped', limit: 1 })[0].outcome, 'ok', 'reading the log writes the queue first');
  await kernel.invoke(readCaller, 'things.scoped', { app: 'y' }, { surface: 'http' });
  for (let i = 0; i < 100 && rawCount(kernel.db, 'things.scoped') < readsBefore + 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(rawCount(kernel.db, 'things.scoped'), readsBefore + 2, 'queued reads reach the database on their own');

  // A read queued when the kernel stops is written by the stop.
  const dataDir = tempDir();
  try {
    const k = new Kernel([coreModule, testModule], { dataDir: dataDir.dir });
    await k.invoke(readCaller, 'things.scoped', { app: 'z' }, { surface: 'http' });
    await k.stop();
    const reopened = new Kernel([coreModule, testModule], { dataDir: dataDir.dir });
    assert.equal(rawCount(reopened.db, 'things.scoped'), 1);
    await reopened.stop();
  } finally {
    dataDir.cleanup();
  }
});
