import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appRequest, deploy } from '../runtime/app-client.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** A real token of this server, passed where a value is expected. */
describe('fazt tokens passed as values are redacted', () => {
  let s: TestServer;
  let token: string;
  let secret: string;
  before(async () => {
    s = await startServer();
    token = (await s.op('tokens.create', { name: 'leaky', cap: ['kernel:apps:read'] }, { human: true })).body.token;
    secret = token.slice(18);
    assert.equal((await s.op('apps.create', { name: 'shop' })).status, 200);
  });
  after(() => s.close());

  it('from audit rows and from error messages echoed back', async () => {
    const got = await s.op('apps.get', { id: token });
    assert.equal(got.status, 404);
    assert.ok(!JSON.stringify(got.body).includes(secret), JSON.stringify(got.body));
    assert.match(got.body.error.message, /fzt_[0-9a-f]{12}_\[redacted\]/);
    assert.equal((await s.op('storage.kv.get', { app: 'shop', key: `session:${token}:x` })).status, 200);
    const rows = await s.op('audit.query', { limit: 100 });
    const text = JSON.stringify(rows.body);
    assert.ok(!text.includes(secret), 'no audit row holds the secret');
    assert.ok(text.includes(`session:${token.slice(0, 17)}[redacted]:x`), 'the rest of the value stays readable');
  });

  it('from a halt\'s displayed input and reason, while approving still runs the stored input', async () => {
    await s.op('apps.create', { name: 'target' });
    assert.equal((await s.op('storage.ds.insert', { app: 'target', collection: 'sessions', doc: { owner: token } })).status, 200);
    const halted = await s.op('storage.ds.delete', { app: 'target', collection: 'sessions', query: { owner: token } });
    assert.equal(halted.status, 202, JSON.stringify(halted.body));
    assert.ok(!JSON.stringify(halted.body).includes(secret), JSON.stringify(halted.body));
    const shown = await s.op('halt.status', { id: halted.body.haltId });
    assert.equal(shown.status, 200);
    assert.ok(!JSON.stringify(shown.body).includes(secret), JSON.stringify(shown.body));
    assert.match(shown.body.reason, /fzt_[0-9a-f]{12}_\[redacted\]/);
    const list = await s.op('halt.list', {});
    assert.ok(!JSON.stringify(list.body).includes(secret));
    const approved = await s.op('halt.approve', { id: halted.body.haltId }, { human: true });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.status, 'approved', JSON.stringify(approved.body));
    assert.deepEqual(approved.body.result, { deleted: 1 }, 'the stored input ran with the real token value');
  });

  it('from log lines fazt writes, and apps never see fazt credentials in request headers', async () => {
    const echo = `export default (req) => {
      fazt.log.info("saw " + (req.query.t || ""), { t: req.query.t });
      return { body: req.headers };
    }`;
    assert.equal((await deploy(s, 'echo', { 'api/main.js': echo })).status, 200);
    const r = await appRequest(s, 'echo', `/api/x?t=${token}`, {
      headers: { authorization: `Bearer ${token}`, cookie: 'fazt_session=abc; theme=dark; FaztSid=2; lang=en', 'x-fazt-presence': 'p', 'x-custom': 'kept' },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.authorization, undefined);
    assert.equal(r.json.cookie, 'theme=dark; lang=en');
    assert.equal(r.json['x-fazt-presence'], undefined);
    assert.equal(r.json['x-custom'], 'kept');
    const basic = await appRequest(s, 'echo', '/api/x', { headers: { authorization: 'Basic dXNlcjpwYXNz', cookie: 'fazt=1' } });
    assert.equal(basic.json.authorization, 'Basic dXNlcjpwYXNz', 'an authorization that is not a fazt token is the app\'s own');
    assert.equal(basic.json.cookie, undefined, 'a cookie header with only fazt cookies is removed');
    s.kernel.services.logs.flush();
    const logs = await s.op('logs.query', { app: 'echo', limit: 50 });
    assert.ok(logs.body.entries.length > 0);
    assert.ok(!JSON.stringify(logs.body).includes(secret), JSON.stringify(logs.body));
    const access = await s.op('logs.query', { app: 'echo', kind: 'access', limit: 50 });
    assert.ok(access.body.entries.length > 0);
    assert.ok(!JSON.stringify(access.body).includes(secret), JSON.stringify(access.body));
  });
});
