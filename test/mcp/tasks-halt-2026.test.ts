import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { defineOp } from '../../src/kernel/ops/define.js';
import { startServer, type TestServer } from '../helpers/server.js';

type Rec = Record<string, any>;

/**
 * A destructive op that runs as a task, added to the registry the way modules add
 * theirs: the halt gate stops it for anyone but a present human.
 */
const wipe = defineOp({
  name: 'test.wipe',
  title: 'Wipe things',
  description: 'Wipes n things (a destructive long-running op for this test).',
  input: z.object({ n: z.number().int() }),
  output: z.object({ wiped: z.number().int() }),
  requires: 'kernel:apps:write',
  risk: 'destructive',
  longRunning: true,
  handler: (_ctx, { n }) => ({ wiped: n }),
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a halt inside a task', () => {
  let server: TestServer;
  let agent: string;
  before(async () => {
    server = await startServer();
    server.kernel.registry.add(wipe);
    agent = (await server.op('tokens.create', { name: 'agent-token', cap: ['kernel:apps:*'] }, { human: true })).body.token;
  });
  after(() => server.close());

  const startAsTask = async (n: number) => {
    const res = await fetch(`${server.url}/api/ops/test.wipe`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json', prefer: 'respond-async' },
      body: JSON.stringify({ n }),
    });
    assert.equal(res.status, 202);
    return ((await res.json()) as Rec).task as Rec;
  };

  it('waits as input_required with the halt id and approval links, and completes once approved', async () => {
    const task = await startAsTask(7);
    assert.equal(task.status, 'input_required');
    assert.match(task.haltId, /^halt_/);
    assert.ok(task.approvalLinks.length >= 2 && task.approvalLinks.every((l: Rec) => l.url.includes('/approve/')), JSON.stringify(task.approvalLinks));
    assert.match(task.statusMessage, new RegExp(`halt ${task.haltId}`));

    const approved = await server.op('halt.approve', { id: task.haltId }, { human: true });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const done = await until('the approved task', async () => {
      const t = (await server.op('tasks.get', { id: task.id }, { token: agent })).body;
      return t.status === 'completed' ? t : undefined;
    });
    assert.deepEqual(done.result, { wiped: 7 });
    assert.deepEqual(done.approvalLinks, []);
  });

  it('fails, saying why, when the owner denies', async () => {
    const task = await startAsTask(8);
    assert.equal((await server.op('halt.deny', { id: task.haltId }, { human: true })).status, 200);
    const t = (await server.op('tasks.result', { id: task.id, waitSeconds: 10 }, { token: agent })).body;
    assert.equal(t.status, 'failed');
    assert.equal(t.error.code, 'CANCELED');
    assert.match(t.error.message, new RegExp(`Halt ${t.haltId} was denied`));
  });

  it('over MCP 2026: a task-augmented call, the halt as a URL elicitation on tasks/get, then an empty cancel ack', async () => {
    let id = 0;
    const call = async (method: string, params: Rec, opts: { ext?: boolean; name?: string } = {}) => {
      const res = await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${agent}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...(opts.name ? { 'mcp-name': opts.name } : {}),
        },
        body: JSON.stringify({
          jsonrpc: '2.0', id: ++id, method,
          params: {
            ...params,
            _meta: {
              'io.modelcontextprotocol/protocolVersion': '2026-07-28',
              'io.modelcontextprotocol/clientInfo': { name: 'raw-2026', version: '1' },
              'io.modelcontextprotocol/clientCapabilities': opts.ext === false ? {} : { extensions: { 'io.modelcontextprotocol/tasks': {} } },
            },
          },
        }),
      });
      return (await res.json()) as Rec;
    };

    const created = (await call('tools/call', { name: 'test_wipe', arguments: { n: 9 } }, { name: 'test_wipe' })).result;
    assert.equal(created.resultType, 'task');
    assert.equal(created.status, 'input_required');
    assert.equal(created.task, undefined);
    assert.ok(Number.isInteger(created.ttlMs) && Number.isInteger(created.pollIntervalMs));

    const got = (await call('tasks/get', { taskId: created.taskId }, { name: created.taskId })).result;
    assert.equal(got.resultType, 'complete');
    const [key, request] = Object.entries(got.inputRequests as Rec)[0] as [string, Rec];
    assert.match(key, /^halt_/);
    assert.equal(request.method, 'elicitation/create');
    assert.equal(request.params.mode, 'url');
    assert.match(request.params.url, /\/approve\//);

    // Without the extension the task methods are refused by name of what is missing.
    const gated = await call('tasks/get', { taskId: created.taskId }, { ext: false, name: created.taskId });
    assert.equal(gated.error.code, -32021);
    // tasks/list and tasks/result belong to the 2025 era only.
    assert.equal((await call('tasks/list', {})).error.code, -32601);

    const ack = (await call('tasks/cancel', { taskId: created.taskId }, { name: created.taskId })).result;
    assert.deepEqual(Object.keys(ack).filter((k) => k !== '_meta'), ['resultType']);
    const after_ = (await call('tasks/get', { taskId: created.taskId }, { name: created.taskId })).result;
    assert.equal(after_.status, 'cancelled');
    assert.equal((await call('tasks/get', { taskId: 'task_unknown' }, { name: 'task_unknown' })).error.code, -32602);
  });
});
