import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { connect } from './client.js';

/** Enough files that storing them takes many chunks, each a turn of the event loop. */
const FILES = 20_000;
const files = (tag: string, n = FILES) =>
  Array.from({ length: n }, (_, i) => ({ path: `f/${String(i).padStart(5, '0')}.txt`, content: `${tag} ${i} ${'x'.repeat(60)}` }));

const loose = z.looseObject({});
type Rec = Record<string, any>;
const rpc = (client: Client, method: string, params: Rec) => client.request({ method, params } as never, loose) as Promise<Rec>;

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('MCP tasks over the kernel (real SDK client, 2025-11-25 era)', () => {
  const tmp = tempDir();
  let server: TestServer;
  let client: Client;
  const notes: { method: string; params: Rec }[] = [];

  const connectOwner = async () => {
    const c = await connect(`${server.url}/mcp`, { token: server.token, era: '2025' });
    // Record what arrives on the wire: the SDK client has no task runtime, so it drops progress for a
    // token whose request already returned (the task's progress, which the 2025 tasks spec keeps on that token).
    const t = c.transport!;
    const deliver = t.onmessage!;
    t.onmessage = (m, extra) => {
      if ('method' in m && !('id' in m)) notes.push(m as never);
      deliver(m, extra);
    };
    c.onerror = () => {};
    return c;
  };
  const blobCount = () => (server.kernel.db.prepare('SELECT COUNT(*) AS n FROM blobs').get() as { n: number }).n;
  const versionsOf = async (app: string) => (await server.op('deploy.versions', { app })).body;

  before(async () => {
    server = await startServer({ dataDir: tmp.dir });
    client = await connectOwner();
  });
  after(async () => {
    await client?.close().catch(() => {});
    await server?.close();
    tmp.cleanup();
  });

  it('lists deploy as a tool that runs as a task, and apps_list as one that does not', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.find((t) => t.name === 'deploy')?.execution, { taskSupport: 'optional' });
    assert.equal(tools.find((t) => t.name === 'apps_list')?.execution, undefined);
  });

  it('runs a deploy of 20,000 files as a task: polled, with progress, then its result', async () => {
    const created = await rpc(client, 'tools/call', { name: 'deploy', arguments: { app: 'big', files: files('one') }, task: { ttl: 600_000 }, _meta: { progressToken: 'big-1' } });
    const task = created.task as Rec;
    assert.match(task.taskId, /^task_[0-9a-f]{16}$/);
    assert.equal(task.status, 'working');
    assert.equal(task.ttl, 600_000);
    assert.equal(created.content, undefined, 'a CreateTaskResult, not a tool result');

    const seen = new Set<string>();
    const done = await until('the deploy task to complete', async () => {
      const t = await rpc(client, 'tasks/get', { taskId: task.taskId });
      seen.add(t.status);
      return t.status === 'completed' ? t : undefined;
    });
    assert.equal(done.taskId, task.taskId);
    assert.ok(seen.has('completed'));

    const result = await rpc(client, 'tasks/result', { taskId: task.taskId });
    assert.equal(result.structuredContent.version, 1);
    assert.equal(result.structuredContent.fileCount, FILES);
    assert.equal(result._meta['io.modelcontextprotocol/related-task'].taskId, task.taskId);

    // Progress reached the task row and was streamed to this session.
    const row = (await server.op('tasks.get', { id: task.taskId })).body;
    assert.deepEqual(row.progress, { done: FILES, total: FILES, message: 'storing files' });
    const progress = await until('progress notifications', () => {
      const p = notes.filter((n) => n.method === 'notifications/progress' && n.params.progressToken === 'big-1');
      return p.length > 1 ? p : undefined;
    });
    assert.ok(progress.every((p) => p.params.total === FILES && p.params.progress <= FILES));
    await until('a completed status notification', () =>
      notes.find((n) => n.method === 'notifications/tasks/status' && n.params.taskId === task.taskId && n.params.status === 'completed'),
    );
    assert.equal((await server.get('/f/00042.txt', 'big.localhost')).status, 200);
  });

  it('cancels a second deploy mid-way: nothing half-deployed (no version, no files, no app)', async () => {
    const blobs = blobCount();
    const created = await rpc(client, 'tools/call', { name: 'deploy', arguments: { app: 'fresh', files: files('two') }, task: {} });
    const cancel = await rpc(client, 'tasks/cancel', { taskId: created.task.taskId });
    assert.equal(cancel.status, 'cancelled');

    const row = (await server.op('tasks.get', { id: created.task.taskId })).body;
    assert.equal(row.status, 'canceled');
    assert.equal(row.error.code, 'CANCELED');
    // It had started storing files, and had not finished.
    assert.ok(row.progress.done > 0 && row.progress.done < FILES, JSON.stringify(row.progress));

    assert.equal((await server.op('apps.get', { id: 'fresh' })).status, 404);
    assert.equal(blobCount(), blobs, 'no stored content left behind');
    const files_ = server.kernel.db.prepare("SELECT COUNT(*) AS n FROM version_files vf JOIN apps a ON a.id = vf.app_id WHERE a.slug = 'fresh'").get() as { n: number };
    assert.equal(files_.n, 0);
    await assert.rejects(rpc(client, 'tasks/result', { taskId: created.task.taskId }), /cancelled/);
  });

  it('cancels a redeploy of a live app mid-way: versions and the live site unchanged', async () => {
    const before_ = await versionsOf('big');
    const created = await rpc(client, 'tools/call', { name: 'deploy', arguments: { app: 'big', files: files('three') }, task: {} });
    assert.equal((await rpc(client, 'tasks/cancel', { taskId: created.task.taskId })).status, 'cancelled');
    assert.deepEqual(await versionsOf('big'), before_);
    assert.match(await (await server.get('/f/00042.txt', 'big.localhost')).text(), /^one 42 /);
  });

  it('reads a result after the server restarted; a task the restart interrupted is failed with the reason', async () => {
    const finished = await rpc(client, 'tools/call', { name: 'deploy', arguments: { app: 'small', files: files('four', 300) }, task: {} });
    await until('the small deploy', async () => ((await rpc(client, 'tasks/get', { taskId: finished.task.taskId })).status === 'completed' ? true : undefined));
    const versions = await versionsOf('big');
    const interrupted = await rpc(client, 'tools/call', { name: 'deploy', arguments: { app: 'big', files: files('five') }, task: {} });

    await client.close();
    await server.close();
    server = await startServer({ dataDir: tmp.dir });
    client = await connectOwner();

    const result = await rpc(client, 'tasks/result', { taskId: finished.task.taskId });
    assert.equal(result.structuredContent.app.slug, 'small');
    assert.equal(result.structuredContent.fileCount, 300);

    const t = await rpc(client, 'tasks/get', { taskId: interrupted.task.taskId });
    assert.equal(t.status, 'failed');
    await assert.rejects(rpc(client, 'tasks/result', { taskId: interrupted.task.taskId }), /INTERRUPTED: The server stopped while this task was running/);
    assert.deepEqual(await versionsOf('big'), versions, 'the interrupted deploy left no version');

    const listed = await rpc(client, 'tasks/list', {});
    const ids = (listed.tasks as Rec[]).map((x) => x.taskId);
    assert.ok(ids.includes(finished.task.taskId) && ids.includes(interrupted.task.taskId));
  });

  it('keeps callers apart: another token can neither read nor cancel the task', async () => {
    const a = (await server.op('tokens.create', { name: 'deployer-a', cap: ['kernel:apps:*'] }, { human: true })).body.token as string;
    const b = (await server.op('tokens.create', { name: 'deployer-b', cap: ['kernel:apps:*'] }, { human: true })).body.token as string;
    const ca = await connect(`${server.url}/mcp`, { token: a, era: '2025' });
    const cb = await connect(`${server.url}/mcp`, { token: b, era: '2025' });
    try {
      const created = await rpc(ca, 'tools/call', { name: 'deploy', arguments: { app: 'mine', files: files('six', 10) }, task: {} });
      const id = created.task.taskId as string;
      await assert.rejects(rpc(cb, 'tasks/get', { taskId: id }), (e: Rec) => e.code === -32602 && /No task/.test(e.message));
      await assert.rejects(rpc(cb, 'tasks/cancel', { taskId: id }), (e: Rec) => e.code === -32602);
      await assert.rejects(rpc(cb, 'tasks/result', { taskId: id }), (e: Rec) => e.code === -32602);
      assert.ok(!((await rpc(cb, 'tasks/list', {})).tasks as Rec[]).some((t) => t.taskId === id));
      // Over HTTP alike: not found, not forbidden (ids are not probed).
      assert.equal((await server.op('tasks.get', { id }, { token: b })).status, 404);
      assert.equal((await server.op('tasks.cancel', { id }, { token: b })).status, 404);
      // Its owner and kernel:* see it.
      assert.equal((await rpc(ca, 'tasks/get', { taskId: id })).taskId, id);
      assert.equal((await server.op('tasks.get', { id })).body.caller.name, 'deployer-a');
      await until('A\'s deploy', async () => ((await rpc(ca, 'tasks/get', { taskId: id })).status === 'completed' ? true : undefined));
    } finally {
      await ca.close();
      await cb.close();
    }
  });

  it('refuses bad task requests clearly', async () => {
    await assert.rejects(rpc(client, 'tasks/get', { taskId: 'task_nope' }), (e: Rec) => e.code === -32602 && /No task 'task_nope'/.test(e.message));
    await assert.rejects(rpc(client, 'tasks/cancel', { taskId: 'task_nope' }), (e: Rec) => e.code === -32602);
    await assert.rejects(rpc(client, 'tools/call', { name: 'apps_list', arguments: {}, task: {} }), (e: Rec) => e.code === -32601 && /does not run as a task.*deploy/.test(e.message));
    // A refusal before the op runs is the answer to the call itself, not a failed task.
    const bad = await rpc(client, 'tools/call', { name: 'deploy', arguments: { app: 'nothing', files: [] }, task: {} });
    assert.equal(bad.isError, true);
    assert.match(bad.content[0].text, /^BAD_INPUT: .*files/);
    assert.equal(bad.task, undefined);
    // One the op itself finds comes back through the task, as a tool error.
    const late = await rpc(client, 'tools/call', { name: 'deploy', arguments: { app: 'Bad_Slug', files: files('x', 1) }, task: {} });
    const r = await rpc(client, 'tasks/result', { taskId: late.task.taskId });
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /^BAD_INPUT: /);
  });
});

describe('tasks over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const post = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/ops/${name}`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('Prefer: respond-async starts a task (202) that tasks.result waits for', async () => {
    const res = await post('deploy', { app: 'http-task', files: files('h', 2000) }, { prefer: 'respond-async' });
    assert.equal(res.status, 202);
    const body = (await res.json()) as Rec;
    assert.equal(body.status, 'working');
    assert.equal(res.headers.get('location'), `/api/ops/tasks.get?id=${body.taskId}`);
    const done = await until('the HTTP task', async () => {
      const r = (await server.op('tasks.result', { id: body.taskId, waitSeconds: 5 })).body;
      return r.status === 'completed' ? r : undefined;
    });
    assert.equal(done.result.fileCount, 2000);
    assert.equal(done.input.files.length, 51, 'the stored input is cut short (50 items and a note)');
    assert.ok(((await server.op('tasks.list', { status: 'completed' })).body.tasks as Rec[]).some((t) => t.id === body.taskId));
  });

  it('?task=true works the same, and an op that is not long-running is refused naming those that are', async () => {
    const res = await post('apps.list', {}, { prefer: 'respond-async' });
    assert.equal(res.status, 400);
    const e = ((await res.json()) as Rec).error;
    assert.equal(e.code, 'BAD_INPUT');
    assert.match(e.message, /apps\.list does not run as a task.*Ops that run as tasks: .*deploy/);
    const q = await fetch(`${server.url}/api/ops/deploy?task=true`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ app: 'q-task', files: files('q', 3) }) });
    assert.equal(q.status, 202);
  });

  it('bad input: unknown task ids, unknown statuses, strict fields', async () => {
    const missing = await server.op('tasks.get', { id: 'task_0000' });
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /No task 'task_0000'/);
    assert.equal((await server.op('tasks.cancel', { id: 'task_0000' })).status, 404);
    assert.equal((await server.op('tasks.list', { status: 'done' })).status, 400);
    assert.equal((await server.op('tasks.result', { id: 'x', waitSeconds: 9999 })).status, 400);
    assert.equal((await server.op('tasks.get', { id: 'x', extra: 1 })).status, 400);
  });
});
