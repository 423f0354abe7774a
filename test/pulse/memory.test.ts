import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from '../runtime/app-client.js';

let s: TestServer;
before(async () => {
  s = await startServer({ extra: { 'pulse.interval': '1h' } });
});
after(() => s.close());

const HOUR = 3_600_000;
type Beat = { health: string; summary: string; analysis: { issues: { key: string; severity: string; description: string }[]; patterns: string[] } };
const issue = (b: Beat, key: string) => b.analysis.issues.find((i) => i.key === key);

test('an app that failed every request stays unhealthy through quiet beats until it serves again', async () => {
  const pulse = s.kernel.services.pulse;
  assert.equal((await deploy(s, 'shop', { 'index.html': 'shop', 'api/main.js': 'export default () => { throw new Error("down") }' })).status, 200);
  const now = Date.now();
  await pulse.beat({ now });
  for (let i = 0; i < 60; i++) assert.equal((await appRequest(s, 'shop', '/api/cart')).status, 500);

  const failing = (await pulse.beat({ now: now + 60_000 })) as unknown as Beat;
  assert.equal(failing.health, 'critical', failing.summary);
  assert.equal(issue(failing, 'app.errors:shop')?.severity, 'critical');
  assert.equal(issue(failing, 'app.sandbox:shop')?.severity, 'warning');

  // No traffic at all, for beats well beyond any beat interval: the last known state holds.
  for (const later of [now + 2 * 60_000, now + HOUR, now + 24 * HOUR]) {
    const quiet = (await pulse.beat({ now: later })) as unknown as Beat;
    assert.notEqual(quiet.health, 'healthy', `${later - now} ms later: ${quiet.summary}`);
    const still = issue(quiet, 'app.errors:shop');
    assert.equal(still?.severity, 'critical', JSON.stringify(quiet.analysis.issues));
    assert.match(still!.description, /60 of the last 60 requests failed/);
    assert.ok(issue(quiet, 'app.sandbox:shop'), 'its thrown errors are not forgotten while it gets no requests');
  }

  // Serving successfully again is what clears it.
  assert.equal((await deploy(s, 'shop', { 'index.html': 'shop', 'api/main.js': 'respond(200, {ok: true})' })).status, 200);
  for (let i = 0; i < 100; i++) assert.equal((await appRequest(s, 'shop', '/api/cart')).status, 200);
  const healed = (await pulse.beat({ now: now + 25 * HOUR })) as unknown as Beat;
  assert.equal(issue(healed, 'app.errors:shop'), undefined, JSON.stringify(healed.analysis.issues));
  assert.equal(issue(healed, 'app.sandbox:shop'), undefined, JSON.stringify(healed.analysis.issues));
});

test('requests to hosts with no app do not make a busiest app; the summary numbers agree', async () => {
  const pulse = s.kernel.services.pulse;
  await pulse.beat();
  assert.equal((await deploy(s, 'site', { 'index.html': 'hi' })).status, 200);
  assert.equal((await s.op('apps.delete', { id: 'site' }, { human: true })).status, 200);
  for (let i = 0; i < 2; i++) assert.equal((await appRequest(s, 'site', '/')).status, 404);
  const b = (await pulse.beat()) as unknown as Beat;
  const patterns = b.analysis.patterns.join('\n');
  assert.doesNotMatch(patterns, /Busiest: site/);
  assert.match(patterns, /0 of 1 app served requests/);
  assert.match(patterns, /2 requests to hosts with no app/);

  for (let i = 0; i < 3; i++) assert.equal((await appRequest(s, 'shop', '/')).status, 200);
  const next = (await pulse.beat()) as unknown as Beat;
  const p = next.analysis.patterns.join('\n');
  assert.match(p, /Busiest: shop with 3 of 3 app requests\./);
  assert.match(p, /1 of \d+ apps? served requests/);

  const trend = await s.op('pulse.trend', { metric: 'apps.shop.recent.errorRate', hours: 1 });
  assert.equal(trend.status, 200, JSON.stringify(trend.body));
  assert.equal(trend.body.path, 'http.bySlug.shop.recent.errorRate');
});
