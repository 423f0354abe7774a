import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from './app-client.js';

// Answers with the status and headers the request asks for (?s=101&h=<json>).
const ECHO_HEAD = `export default (req) => ({
  status: req.query.s ? Number(req.query.s) : 200,
  headers: req.query.h ? JSON.parse(req.query.h) : {},
  body: req.query.b === 'none' ? undefined : 'hello world',
})`;

describe('runtime: app responses cannot change how fazt frames HTTP', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
    assert.equal((await deploy(s, 'head', { 'api/main.js': ECHO_HEAD })).status, 200);
  });
  after(() => s.close());

  const ask = (q: Record<string, string>, method = 'GET') => appRequest(s, 'head', `/api/x?${new URLSearchParams(q)}`, { method });

  async function appErrorLogged(requestId: string, re: RegExp): Promise<void> {
    s.kernel.services.logs.flush();
    const logs = await s.op('logs.query', { app: 'head', level: 'error' });
    assert.ok(logs.body.entries.some((l: { requestId: string; message: string }) => l.requestId === requestId && re.test(l.message)), JSON.stringify(logs.body));
  }

  it('drops hop-by-hop and framing headers; fazt sets its own length', async () => {
    const h = {
      'Transfer-Encoding': 'chunked', 'content-length': '5', connection: 'keep-alive, x-ok', 'keep-alive': 'timeout=999', upgrade: 'h2c',
      te: 'trailers', trailer: 'x-late', 'proxy-authenticate': 'Basic', 'proxy-connection': 'keep-alive', 'x-ok': 'yes', 'set-cookie': 'a=1; Path=/',
    };
    const r = await ask({ h: JSON.stringify(h) });
    assert.equal(r.status, 200);
    assert.equal(r.text, 'hello world');
    assert.equal(r.headers['content-length'], '11');
    assert.equal(r.headers['transfer-encoding'], undefined);
    assert.notEqual(r.headers['keep-alive'], 'timeout=999'); // Node's own keep-alive answer stays
    for (const k of ['upgrade', 'te', 'trailer', 'proxy-authenticate', 'proxy-connection']) assert.equal(r.headers[k], undefined, k);
    assert.doesNotMatch(String(r.headers.connection), /x-ok/);
    assert.equal(r.headers['x-ok'], 'yes');
    assert.deepEqual(r.headers['set-cookie'], ['a=1; Path=/']);
  });

  it("keeps fazt's x-request-id: the app cannot override it", async () => {
    const r = await ask({ h: JSON.stringify({ 'X-Request-Id': 'forged' }) });
    assert.equal(r.status, 200);
    assert.notEqual(r.headers['x-request-id'], 'forged');
    assert.match(String(r.headers['x-request-id']), /^[0-9a-f]{12}-[0-9a-z]+$/);
  });

  for (const status of ['101', '100', '103', '199']) {
    it(`turns status ${status} into a 500 app error naming the allowed range, logged for the app`, async () => {
      const r = await ask({ s: status, h: JSON.stringify({ upgrade: 'websocket', connection: 'upgrade' }) });
      assert.equal(r.status, 500, r.text);
      assert.equal(r.json.error.code, 'APP_ERROR');
      assert.match(r.json.error.message, new RegExp(`status ${status}.*200-599`));
      await appErrorLogged(r.json.error.requestId, /200-599/);
    });
  }

  it('passes final statuses through, and a 204 carries no length and no body', async () => {
    assert.equal((await ask({ s: '599' })).status, 599);
    assert.equal((await ask({ s: '404' })).status, 404);
    const r = await ask({ s: '204' });
    assert.equal(r.status, 204);
    assert.equal(r.headers['content-length'], undefined);
    assert.equal(r.text, '');
  });

  it('refuses header values with CR or LF (no response splitting) with a 500 naming the header', async () => {
    const r = await ask({ h: JSON.stringify({ 'x-split': 'a\r\nSet-Cookie: evil=1' }) });
    assert.equal(r.status, 500, r.text);
    assert.equal(r.json.error.code, 'APP_ERROR');
    assert.match(r.json.error.message, /x-split/);
    assert.equal(r.headers['set-cookie'], undefined);
    await appErrorLogged(r.json.error.requestId, /x-split/);
  });

  it('refuses header names that are not HTTP tokens with a 500 naming the header', async () => {
    for (const name of ['bad name', 'x:y', 'x\r\ny', '']) {
      const r = await ask({ h: JSON.stringify({ [name]: 'v' }) });
      assert.equal(r.status, 500, `${JSON.stringify(name)}: ${r.text}`);
      assert.equal(r.json.error.code, 'APP_ERROR');
      assert.match(r.json.error.message, /header name/);
    }
  });
});
