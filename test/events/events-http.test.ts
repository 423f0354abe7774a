import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { followCli, runCli, startServer, type TestServer } from '../helpers/server.js';
import { openSse } from './sse-reader.js';

describe('events over HTTP and the CLI', () => {
  let s: TestServer;
  const children: ChildProcess[] = [];
  before(async () => {
    s = await startServer();
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await s.close();
  });

  it("refuses events in the kernel's namespaces, even from the owner", async () => {
    for (const type of ['system.app.deployed', 'op.apps.delete']) {
      const r = await s.op('events.emit', { type, data: { fake: true } });
      assert.equal(r.status, 403, type);
      assert.equal(r.body.error.code, 'FORBIDDEN');
      assert.match(r.body.error.message, /Only the fazt kernel/);
    }
    const listed = await s.op('events.list', { type: 'system.app.deployed' });
    assert.ok(!listed.body.events.some((e: { data: { fake?: boolean } }) => e.data?.fake), 'nothing was emitted');
  });

  it('refuses an event over 64 KB with 413 and a clear message', async () => {
    const r = await s.op('events.emit', { type: 'test.big', data: { blob: 'x'.repeat(70_000) } });
    assert.equal(r.status, 413);
    assert.equal(r.body.error.code, 'TOO_LARGE');
    assert.match(r.body.error.message, /limit is 65536 bytes \(64 KB\)/);
  });

  it('rejects malformed types and patterns', async () => {
    for (const type of ['has space', 'a..b', 'x.*', "x'; DROP TABLE events;--"]) {
      const r = await s.op('events.emit', { type });
      assert.equal(r.status, 400, type);
    }
    const r = await s.op('events.list', { type: "a' OR '1'='1" });
    assert.equal(r.status, 400);
  });

  it('refuses stream query parameters it does not know, naming the one it takes', async () => {
    const r = await fetch(`${s.url}/api/stream/events?patern=system.*`, { headers: { authorization: `Bearer ${s.token}` } });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /Unknown query parameter 'patern'; this stream takes: pattern/);
    const logs = await fetch(`${s.url}/api/stream/logs?tail=lots`, { headers: { authorization: `Bearer ${s.token}` } });
    assert.equal(logs.status, 400);
    assert.match(await logs.text(), /tail: 'lots' is not a number/);
    const field = await fetch(`${s.url}/api/stream/logs?levle=warn`, { headers: { authorization: `Bearer ${s.token}` } });
    assert.equal(field.status, 400);
  });

  it('keeps persisted and system events and lists them by pattern', async () => {
    s.kernel.services.apps.create('Shop', 'shop');
    const kept = await s.op('events.emit', { type: 'app:shop.order.created', data: { id: 1 }, persist: true, correlationId: 'c-1' });
    assert.equal(kept.status, 200);
    assert.equal(kept.body.source, 'owner');
    assert.equal(kept.body.persisted, true);
    const fleeting = await s.op('events.emit', { type: 'app:shop.order.viewed', data: { id: 1 } });
    assert.equal(fleeting.body.persisted, false);

    const shop = await s.op('events.list', { type: 'app:shop.*' });
    assert.deepEqual(shop.body.events.map((e: { type: string }) => e.type), ['app:shop.order.created']);
    assert.equal(shop.body.events[0].correlationId, 'c-1');
    const created = await s.op('events.list', { type: 'system.app.created', source: 'system', since: '1h' });
    assert.ok(created.body.events.some((e: { data: { slug: string } }) => e.data.slug === 'shop'));
    const ops = await s.op('events.list', { type: 'op.*' });
    assert.deepEqual(ops.body.events, [], 'op.* events are left to the audit trail');
  });

  it('needs kernel:events:read to list or watch and kernel:events:write to emit', async () => {
    const reader = s.kernel.tokens.create('apps-reader', 'token', ['kernel:apps:read'], null).token;
    assert.equal((await s.op('events.list', {}, { token: reader })).status, 403);
    assert.equal((await s.op('events.emit', { type: 'x.y' }, { token: reader })).status, 403);
    const stream = await openSse(`${s.url}/api/stream/events`, reader);
    assert.equal(stream.status, 403);
    assert.equal(stream.error.error.code, 'FORBIDDEN');
  });

  it('streams matching events to an SSE watcher', async () => {
    const stream = await openSse(`${s.url}/api/stream/events?pattern=${encodeURIComponent('deploy.*')}`, s.token);
    try {
      assert.equal(stream.status, 200);
      await s.op('events.emit', { type: 'other.thing', data: 1 });
      await s.op('events.emit', { type: 'deploy.finished', data: { app: 'shop', version: 3 } });
      const e = await stream.waitFor((x) => x.type === 'deploy.finished');
      assert.deepEqual(e.data, { app: 'shop', version: 3 });
      assert.equal(e.source, 'owner');
      assert.deepEqual(stream.items.map((x: any) => x.type), ['deploy.finished'], 'non-matching events are not sent');
      // Kernel events reach watchers too.
      const sys = await openSse(`${s.url}/api/stream/events?pattern=${encodeURIComponent('system.app.*')}`, s.token);
      try {
        s.kernel.services.apps.create('Blog', 'blog');
        const created = await sys.waitFor((x) => x.type === 'system.app.created');
        assert.equal(created.data.slug, 'blog');
      } finally {
        sys.close();
      }
    } finally {
      stream.close();
    }
  });

  it('fazt events emit / list / watch work end to end', async () => {
    const cli = followCli(['events', 'watch', 'cli.*'], s.dataDir);
    const { child } = cli;
    children.push(child);
    await cli.until(cli.err, (e) => e.includes('Watching cli.*'), 'the watch to open');

    const emitted = await runCli(['events', 'emit', 'cli.hello', '--payload', '{"n":1}', '--persist'], { dataDir: s.dataDir });
    assert.equal(emitted.code, 0, emitted.stderr);
    await cli.until(cli.out, (o) => o.includes('cli.hello'), 'an event line');
    const got = cli.out();
    assert.match(got, /cli\.hello\s+owner\s+\{"n":1\}/);

    const listed = await runCli(['events', 'list', 'cli.*', '--json'], { dataDir: s.dataDir });
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout).events.map((e: { type: string }) => e.type), ['cli.hello']);

    const refused = await runCli(['events', 'emit', 'system.fake'], { dataDir: s.dataDir });
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /Only the fazt kernel/);

    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  });
});
