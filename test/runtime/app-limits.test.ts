import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from './app-client.js';

/** Answers with the size of the body it received. */
const ECHO = 'export default (r) => ({ body: { got: typeof r.body === "string" ? r.body.length : JSON.stringify(r.body).length } })';
const GREEDY = { limits: { memoryMb: 1024, timeoutMs: 60_000, maxOutputBytes: 100 * 1024 * 1024, maxBodyBytes: 1024 * 1024 * 1024 } };
const MB = 1024 * 1024;

/** POSTs a text body of `bytes` bytes to the app. */
const post = (s: TestServer, slug: string, bytes: number) => appRequest(s, slug, '/api/echo', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(bytes) });

describe('app limits: a manifest may only lower them; raising is for the owner', () => {
  let s: TestServer;
  let writer: string;

  before(async () => {
    s = await startServer();
    const created = await s.op('apps.create', { name: 'greedy' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    writer = (await s.op('tokens.create', { name: 'greedy-deployer', cap: [`app:${created.body.id}:write`, `app:${created.body.id}:read`] }, { human: true })).body.token;
  });
  after(() => s.close());

  it('a manifest asking for more than the server default gets the default, and the deploy says which and how to raise it', async () => {
    const r = await s.op('deploy', { app: 'greedy', files: [{ path: 'api/main.js', content: ECHO }, { path: 'manifest.json', content: JSON.stringify(GREEDY) }] }, { token: writer });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const notice = r.body.notices.find((n: string) => n.includes('limits'));
    assert.ok(notice, JSON.stringify(r.body.notices));
    for (const key of ['memoryMb', 'timeoutMs', 'maxOutputBytes', 'maxBodyBytes']) assert.match(notice, new RegExp(key));
    assert.match(notice, /fazt apps limits set greedy/);

    const got = await s.op('apps.limits.get', { app: 'greedy' }, { token: writer });
    assert.equal(got.status, 200, JSON.stringify(got.body));
    assert.deepEqual(
      { memoryMb: got.body.effective.memoryMb, timeoutMs: got.body.effective.timeoutMs, maxBodyBytes: got.body.effective.maxBodyBytes, maxOutputBytes: got.body.effective.maxOutputBytes },
      { memoryMb: 64, timeoutMs: 5000, maxBodyBytes: 10 * MB, maxOutputBytes: 10 * MB },
    );
    assert.equal((await post(s, 'greedy', 11 * MB)).status, 413);
    assert.equal((await post(s, 'greedy', 1000)).json.got, 1000);
  });

  it('a manifest may still lower a limit', async () => {
    const r = await deploy(s, 'modest', { 'api/main.js': ECHO, 'manifest.json': JSON.stringify({ limits: { maxBodyBytes: 2000 } }) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.notices, []);
    assert.equal((await post(s, 'modest', 1500)).status, 200);
    assert.equal((await post(s, 'modest', 2500)).status, 413);
  });

  it('raising a limit from a token becomes a halt; the owner in person raises it and the app gets it at once', async () => {
    const byToken = await s.op('apps.limits.set', { app: 'greedy', maxBodyBytes: 20 * MB }, { token: writer });
    assert.equal(byToken.status, 202, JSON.stringify(byToken.body));
    assert.equal(byToken.body.halted, true);
    assert.match(byToken.body.reason, /greedy.*maxBodyBytes/);
    assert.equal((await post(s, 'greedy', 11 * MB)).status, 413);

    const byOwner = await s.op('apps.limits.set', { app: 'greedy', maxBodyBytes: 20 * MB, memoryMb: 128 }, { human: true });
    assert.equal(byOwner.status, 200, JSON.stringify(byOwner.body));
    assert.equal(byOwner.body.effective.maxBodyBytes, 20 * MB);
    assert.equal(byOwner.body.effective.memoryMb, 128);
    assert.deepEqual(byOwner.body.owner, { maxBodyBytes: 20 * MB, memoryMb: 128 });
    assert.equal((await post(s, 'greedy', 11 * MB)).json.got, 11 * MB);
  });

  it('the raised value is the ceiling the manifest can use, and null puts a limit back to the server default', async () => {
    const again = await deploy(s, 'greedy', { 'api/main.js': ECHO + '\n// v2', 'manifest.json': JSON.stringify(GREEDY) });
    assert.match(again.body.notices.join('\n'), /maxBodyBytes .* 20971520/);
    assert.equal((await post(s, 'greedy', 11 * MB)).status, 200);
    const reset = await s.op('apps.limits.set', { app: 'greedy', maxBodyBytes: null }, { human: true });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    assert.deepEqual(reset.body.owner, { memoryMb: 128 });
    assert.equal((await post(s, 'greedy', 11 * MB)).status, 413);
  });

  it('a raise asked for by a token runs once the owner approves its halt', async () => {
    const asked = await s.op('apps.limits.set', { app: 'greedy', timeoutMs: 10_000 }, { token: writer });
    assert.equal(asked.status, 202, JSON.stringify(asked.body));
    assert.equal((await s.op('apps.limits.get', { app: 'greedy' })).body.effective.timeoutMs, 5000);
    const approved = await s.op('halt.approve', { id: asked.body.haltId }, { human: true });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const got = await s.op('apps.limits.get', { app: 'greedy' });
    assert.equal(got.body.owner.timeoutMs, 10_000);
    assert.equal(got.body.effective.timeoutMs, 10_000);
  });

  it('even the owner cannot pass the hard ceilings; the error names the largest value', async () => {
    const r = await s.op('apps.limits.set', { app: 'greedy', memoryMb: 4096 }, { human: true });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(JSON.stringify(r.body.error), /memoryMb.*1024/);
    const t = await s.op('apps.limits.set', { app: 'greedy', timeoutMs: 10 * 60_000 }, { human: true });
    assert.equal(t.status, 400);
    assert.match(JSON.stringify(t.body.error), /60000/);
    assert.equal((await s.op('apps.limits.get', { app: 'greedy' })).body.owner.memoryMb, 128);
  });
});
