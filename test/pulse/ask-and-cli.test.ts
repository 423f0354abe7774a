import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { anthropicServer } from '../ai/contract-servers.js';

let s: TestServer;
before(async () => {
  s = await startServer({ extra: { 'pulse.interval': '1h' } });
  assert.equal((await s.op('apps.create', { name: 'shop' })).status, 200);
  for (let i = 0; i < 25; i++) {
    s.kernel.requests.emit({ appId: null, slug: 'shop', kind: 'api', method: 'GET', path: '/api/x', status: i < 10 ? 500 : 200, durationMs: 30, bytes: 1, requestId: 'r' });
  }
  await s.op('pulse.beat');
  await s.op('pulse.beat');
});
after(() => s.close());

test('pulse.ask: answer, window from time words, apps and metrics named, labelled context; not rate-limited without a model', async () => {
  const r = await s.op('pulse.ask', { question: 'Why is shop failing in the last hour? Any memory trouble?' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const a = r.body;
  assert.equal(a.window.label, 'last hour');
  assert.ok(Date.parse(a.window.to) - Date.parse(a.window.from) === 3_600_000);
  assert.equal(a.beats, 2);
  assert.deepEqual(a.apps.map((x: { slug: string }) => x.slug), ['shop']);
  assert.equal(a.apps[0].requests, 25);
  assert.equal(a.apps[0].errors, 10);
  assert.deepEqual(a.metrics.map((m: { path: string }) => m.path).sort(), ['host.memory.percent', 'http.errorRate']);
  assert.ok(a.issues.some((i: { key: string }) => i.key === 'app.errors:shop'));
  assert.match(a.answer, /last hour/);
  assert.match(a.answer, /shop: 25 requests, 10 5xx/);
  for (const label of ['QUESTION:', 'WINDOW:', 'BEATS:', 'ISSUES:', 'METRICS', 'APPS:', 'EVENTS:', 'TIMELINE']) assert.ok(a.context.includes(label), label);
  assert.equal(a.analyser, 'rules');

  for (const question of ['and now?', 'and the memory?']) {
    const again = await s.op('pulse.ask', { question });
    assert.equal(again.status, 200, 'a rule-based answer calls no model, so it is not limited');
  }
});

test('pulse.ask is rate-limited only when a model answers', async () => {
  // A real provider client against a loopback server that speaks the Anthropic Messages API.
  const model = await anthropicServer();
  model.reply.text = 'shop failed 10 of 25 requests (http.bySlug.shop.errors5xx).';
  assert.equal((await s.op('ai.providers.set', { provider: 'anthropic', apiKey: 'sk-ant-test-00000000000000000000', baseUrl: model.url })).status, 200);
  try {
    const first = await s.op('pulse.ask', { question: 'how is shop?' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.answer, model.reply.text);
    assert.equal(first.body.analyser, 'model');
    const again = await s.op('pulse.ask', { question: 'and now?' });
    assert.equal(again.status, 429);
    assert.equal(again.body.error.code, 'RATE_LIMITED');
    assert.ok(again.body.error.details.retryAfter > 0);
    assert.equal(model.received.length, 1, 'the limited call never reached the model');
  } finally {
    await s.op('ai.providers.remove', { provider: 'anthropic' });
    await model.close();
  }
});

test('pulse.ask with no time words uses the last 24 hours; bad questions are refused', async () => {
  assert.equal((await s.op('pulse.configure', { askPerMinute: 100 })).status, 200);
  const r = await s.op('pulse.ask', { question: 'how is the disk?' });
  assert.equal(r.status, 200);
  assert.equal(r.body.window.label, 'last 24 hours');
  assert.match(r.body.context, /default/);
  assert.deepEqual(r.body.metrics.map((m: { path: string }) => m.path), ['host.disk.percent']);
  const old = await s.op('pulse.ask', { question: 'what happened 3 days ago?' });
  assert.equal(old.body.beats, 0);
  assert.match(old.body.answer, /No beats/);
  assert.equal((await s.op('pulse.ask', { question: '' })).status, 400);
  assert.equal((await s.op('pulse.ask', {})).status, 400);
});

test('CLI: status, beat, history, trend sparkline, insights, ask, and --json', async () => {
  const opts = { dataDir: s.dataDir };
  const st = await runCli(['pulse', 'status'], opts);
  assert.equal(st.code, 0, st.stderr);
  assert.match(st.stdout, /^[●▲✖] (HEALTHY|DEGRADED|CRITICAL) {2}\S/);
  assert.match(st.stdout, /app\.errors:shop|last beat/);

  const js = await runCli(['pulse', 'status', '--json'], opts);
  assert.equal(js.code, 0);
  assert.ok(['healthy', 'degraded', 'critical'].includes(JSON.parse(js.stdout).health));

  const bt = await runCli(['pulse', 'beat'], opts);
  assert.equal(bt.code, 0, bt.stderr);
  assert.match(bt.stdout, /beat #\d+ stored; cost [\d.]+ ms wall/);

  const hist = await runCli(['pulse', 'history', '--hours', '24'], opts);
  assert.equal(hist.code, 0, hist.stderr);
  assert.equal(hist.stdout.trim().split('\n').length, 3);

  const tr = await runCli(['pulse', 'trend', 'memory', '--hours', '24', '--format', 'sparkline'], opts);
  assert.equal(tr.code, 0, tr.stderr);
  assert.match(tr.stdout, /host\.memory\.percent {2}last 24 h {2}\(3 beats\)\n {2}[▁▂▃▄▅▆▇█]{3}\n {2}min/);

  const bad = await runCli(['pulse', 'trend', 'nonsense'], opts);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Unknown metric 'nonsense'.*memory/);

  const range = await runCli(['pulse', 'history', '--hours', '0'], opts);
  assert.equal(range.code, 2);

  const ins = await runCli(['pulse', 'insights'], opts);
  assert.equal(ins.code, 0, ins.stderr);
  assert.match(ins.stdout, /Last 24 h: 3 beats/);

  const ask = await runCli(['pulse', 'ask', 'how', 'was', 'shop', 'today?'], opts);
  assert.equal(ask.code, 0, ask.stderr);
  assert.match(ask.stdout, /today/);
  assert.match(ask.stdout, /shop: 25 requests/);
});
