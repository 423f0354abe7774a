import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from './app-client.js';

/** Records the last event it saw from the other app's namespace; GET returns it. */
const WATCHER = `fazt.events.on("app:shop.*", (e) => { fazt.app.kv.set("seen", e.data.n); });
export default () => ({ body: { seen: fazt.app.kv.get("seen") } });`;

describe("events beyond an app's own namespace need the owner's grant", () => {
  let s: TestServer;
  const seen = async () => (await appRequest(s, 'watcher', '/api/x')).json.seen;
  /** Emits app:shop.sold {n} as the owner. */
  const sell = async (n: number) => assert.equal((await s.op('events.emit', { type: 'app:shop.sold', data: { n } })).status, 200);
  /** What the handler recorded once it has had time to see event n: up to 5 s for a delivery, 300 ms to show none came. */
  const seenAfter = async (n: number, delivered: boolean) => {
    const until = Date.now() + (delivered ? 5_000 : 300);
    let v = await seen();
    while (v !== n && Date.now() < until) (await sleep(25), (v = await seen()));
    return v;
  };

  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('a manifest that asks is not enough: the deploy says so and nothing is delivered', async () => {
    const r = await deploy(s, 'watcher', { 'api/main.js': WATCHER, 'manifest.json': JSON.stringify({ events: { subscribe: ['app:shop.*'] } }) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.notices.length, 1);
    assert.match(r.body.notices[0], /app:shop\.\*.*not delivered until the owner allows it.*fazt apps events grant watcher --pattern 'app:shop\.\*'/);
    await sell(1);
    assert.equal(await seenAfter(1, false), null);
    const acc = await s.op('apps.events.access', { app: 'watcher' });
    assert.deepEqual(acc.body, { app: 'watcher', own: 'app:watcher.*', requested: ['app:shop.*'], granted: [], waiting: ['app:shop.*'] });
  });

  it('no token and no model can grant: only the owner in person', async () => {
    const token = (await s.op('tokens.create', { name: 'bot', cap: ['kernel:*'] }, { human: true })).body.token;
    const byToken = await s.op('apps.events.grant', { app: 'watcher', pattern: ['app:shop.*'] }, { token });
    assert.equal(byToken.status, 403, JSON.stringify(byToken.body));
    const byOwnerKeyAlone = await s.op('apps.events.grant', { app: 'watcher', pattern: ['app:shop.*'] });
    assert.equal(byOwnerKeyAlone.status, 403, JSON.stringify(byOwnerKeyAlone.body));
    await sell(2);
    assert.equal(await seenAfter(2, false), null);
  });

  it('once granted the handler receives them; a redeploy keeps the grant; a revoke stops them', async () => {
    const granted = await s.op('apps.events.grant', { app: 'watcher', pattern: ['app:shop.*'] }, { human: true });
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    assert.deepEqual(granted.body.waiting, []);
    await sell(3);
    assert.equal(await seenAfter(3, true), 3);

    const again = await deploy(s, 'watcher', { 'api/main.js': WATCHER + '\n// v2', 'manifest.json': JSON.stringify({ events: { subscribe: ['app:shop.*'] } }) });
    assert.deepEqual(again.body.notices, []);
    await sell(4);
    assert.equal(await seenAfter(4, true), 4);

    assert.equal((await s.op('apps.events.revoke', { app: 'watcher', pattern: ['app:shop.*'] })).status, 200);
    await sell(5);
    assert.equal(await seenAfter(5, false), 4);
  });

  it('refuses granting an app its own namespace and patterns with spaces', async () => {
    const own = await s.op('apps.events.grant', { app: 'watcher', pattern: ['app:watcher.*'] }, { human: true });
    assert.equal(own.status, 400);
    assert.match(own.body.error.message, /always receives its own events/);
    const spaced = await s.op('apps.events.grant', { app: 'watcher', pattern: ['system app'] }, { human: true });
    assert.equal(spaced.status, 400);
  });
});
