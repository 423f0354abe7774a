import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSse } from '../events/sse-reader.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('logs over HTTP', () => {
  let s: TestServer;
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  let scopedA: string;
  before(async () => {
    s = await startServer();
    a = s.kernel.services.apps.create('Alpha', 'alpha');
    b = s.kernel.services.apps.create('Beta', 'beta');
    scopedA = s.kernel.tokens.create('alpha-reader', 'token', [`app:${a.id}:read`], null).token;
  });
  after(() => s.close());
  const log = (app: { id: string }, level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) =>
    s.kernel.services.logs.write({ appId: app.id, level, message, fields, requestId: 'req-' + message });
  const messages = (body: { entries: { message: string }[] }) => body.entries.map((e) => e.message);

  it('filters by app, level and above, grep and time', async () => {
    log(a, 'info', 'alpha started');
    log(a, 'warn', 'alpha slow query');
    log(a, 'error', 'alpha payment failed', { orderId: 'ORD-42', secret: 'hunter2' });
    log(b, 'error', 'beta crashed');
    await sleep(5);
    const mid = new Date().toISOString();
    await sleep(5);
    log(a, 'debug', 'alpha late debug');

    let r = await s.op('logs.query', { app: 'alpha' });
    assert.equal(r.status, 200);
    assert.deepEqual(messages(r.body), ['alpha late debug', 'alpha payment failed', 'alpha slow query', 'alpha started']);
    assert.equal(r.body.entries[0].app, 'alpha');

    r = await s.op('logs.query', { app: a.id, level: 'warn' });
    assert.deepEqual(messages(r.body), ['alpha payment failed', 'alpha slow query']);

    r = await s.op('logs.query', { level: 'error' });
    assert.deepEqual(messages(r.body), ['beta crashed', 'alpha payment failed']);

    r = await s.op('logs.query', { grep: 'ORD-42' });
    assert.deepEqual(messages(r.body), ['alpha payment failed']);
    assert.deepEqual(r.body.entries[0].fields, { orderId: 'ORD-42', secret: '[redacted]' });
    assert.equal(r.body.entries[0].requestId, 'req-alpha payment failed');

    r = await s.op('logs.query', { app: 'alpha', since: mid });
    assert.deepEqual(messages(r.body), ['alpha late debug']);
    r = await s.op('logs.query', { app: 'alpha', until: mid, since: '1h' });
    assert.equal(r.body.entries.length, 3);
    r = await s.op('logs.query', { app: 'alpha', since: '1h', limit: 1 });
    assert.deepEqual(messages(r.body), ['alpha late debug']);
  });

  it('answers GET with query parameters like the CLI would', async () => {
    const res = await fetch(`${s.url}/api/ops/logs.query?app=beta&level=error&limit=5`, { headers: { authorization: `Bearer ${s.token}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(messages((await res.json()) as never), ['beta crashed']);
  });

  it('rejects bad filters with field-level errors', async () => {
    for (const input of [{ since: 'yesterday-ish' }, { level: 'fatal' }, { limit: 5000 }, { kind: 'nope' }, { grep: '' }]) {
      const r = await s.op('logs.query', input);
      assert.equal(r.status, 400, JSON.stringify(input));
      assert.equal(r.body.error.code, 'BAD_INPUT');
    }
    const r = await s.op('logs.query', { app: 'no-such-app' });
    assert.equal(r.status, 404);
  });

  it("keeps a token scoped to app A out of app B's logs", async () => {
    const own = await s.op('logs.query', { app: 'alpha' }, { token: scopedA });
    assert.equal(own.status, 200);
    assert.ok(own.body.entries.length > 0);
    const other = await s.op('logs.query', { app: 'beta' }, { token: scopedA });
    assert.equal(other.status, 403);
    assert.equal(other.body.error.code, 'FORBIDDEN');
    const all = await s.op('logs.query', {}, { token: scopedA });
    assert.equal(all.status, 403, 'a scoped token must name its app');
    const stream = await openSse(`${s.url}/api/stream/logs?app=beta`, scopedA);
    assert.equal(stream.status, 403);
  });

  it('records access logs for served requests', async () => {
    const page = await s.get('/', 'localhost');
    assert.equal(page.status, 200);
    const missing = await s.get('/definitely-missing.png', 'localhost');
    assert.equal(missing.status, 404);
    const r = await s.op('logs.query', { kind: 'access', app: 'root' });
    assert.equal(r.status, 200);
    const paths = r.body.entries.map((e: { path: string; status: number }) => `${e.status} ${e.path}`);
    // Successful static hits are written as a counted row when their window closes, so order is by write.
    assert.deepEqual(paths.slice(0, 2).sort(), ['200 /', '404 /definitely-missing.png']);
    assert.ok(r.body.entries.every((e: { kind: string; hits: number }) => e.kind === 'static' && e.hits >= 1));
    const errorsOnly = await s.op('logs.query', { kind: 'access', app: 'root', level: 'warn' });
    assert.deepEqual(errorsOnly.body.entries.map((e: { status: number }) => e.status), [404]);
  });

  it('streams new lines to a follower (SSE), after the requested tail', async () => {
    const stream = await openSse(`${s.url}/api/stream/logs?app=alpha&level=warn&tail=1`, s.token);
    try {
      assert.equal(stream.status, 200);
      const tail = await stream.waitFor((l) => l.message === 'alpha payment failed');
      assert.equal(tail.level, 'error');
      log(a, 'info', 'below the level');
      log(b, 'error', 'other app');
      log(a, 'error', 'live failure', { password: 'x' });
      const live = await stream.waitFor((l) => l.message === 'live failure');
      assert.deepEqual(live.fields, { password: '[redacted]' });
      assert.equal(live.app, 'alpha');
      assert.deepEqual(stream.items.map((l: any) => l.message), ['alpha payment failed', 'live failure']);
    } finally {
      stream.close();
    }
  });

  it('refuses a stream without a valid token', async () => {
    const res = await fetch(`${s.url}/api/stream/logs`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /Bearer/);
  });

  it('turns logs.cleanup from a capability token into a halt, and runs it for the owner at the keyboard', async () => {
    const cleaner = s.kernel.tokens.create('cleaner', 'token', ['kernel:logs:*'], null).token;
    const halted = await s.op('logs.cleanup', { olderThan: '0s' }, { token: cleaner });
    assert.equal(halted.status, 202);
    assert.equal(halted.body.halted, true);
    assert.match(halted.body.reason, /older than 0s/);
    assert.ok((await s.op('logs.query', { app: 'alpha' })).body.entries.length > 0, 'nothing deleted yet');

    const ran = await s.op('logs.cleanup', { olderThan: '0s', app: 'beta' }, { human: true });
    assert.equal(ran.status, 200);
    assert.ok(ran.body.logs >= 1);
    assert.equal(ran.body.deleted, ran.body.logs + ran.body.access);
    assert.equal((await s.op('logs.query', { app: 'beta' })).body.entries.length, 0);
    assert.ok((await s.op('logs.query', { app: 'alpha' })).body.entries.length > 0, 'other apps untouched');
  });
});
