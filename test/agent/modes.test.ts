import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, type TestServer } from '../helpers/server.js';
import { loopbackReceiver, type LoopbackReceiver } from '../helpers/loopback-receiver.js';
import { anthropicServer, type ContractServer } from '../ai/contract-servers.js';
import { agentAudit, agentServer, BAD_API, beat, decisions, deploy, GOOD_API, hit, ok, WEBHOOK_SECRET } from './helpers.js';

describe('a healthy server over many beats', () => {
  let s: TestServer;
  let hook: LoopbackReceiver;
  let model: ContractServer;
  before(async () => {
    hook = await loopbackReceiver(() => ({ status: 200 }));
    model = await anthropicServer();
    s = await agentServer();
    // Host limits that other work on a shared test machine could cross are not what this test is about.
    await ok(s, 'pulse.configure', { thresholds: { cpuWarningPercent: 10_000, eventLoopP99WarningMs: 60_000, p99WarningMs: 60_000, memoryWarningPercent: 100, memoryCriticalPercent: 100 } });
    await ok(s, 'notify.channels.add', { type: 'webhook', name: 'owner-hook', config: { url: hook.url, secret: WEBHOOK_SECRET } });
    await ok(s, 'ai.providers.set', { provider: 'anthropic', apiKey: 'sk-ant-test-00000000000000000000', baseUrl: model.url });
  });
  after(async () => {
    await s.close();
    await hook.close();
    await model.close();
  });

  it('makes no decisions, sends no notifications and calls no model', async () => {
    assert.equal((await deploy(s, 'blog', { 'api/main.js': GOOD_API, 'index.html': '<h1>hi</h1>' })).status, 200);
    for (let i = 0; i < 25; i++) {
      await hit(s, 'blog', 3);
      const b = await beat(s);
      assert.equal(b.health, 'healthy', JSON.stringify(b.issues));
    }
    assert.equal((await decisions(s)).length, 0);
    assert.equal(hook.received.length, 0);
    assert.equal(model.received.length, 0);
    const st = await ok(s, 'agent.status');
    assert.equal(st.modelCalls, 0);
    assert.equal(st.openIncidents.length, 0);
    assert.equal((await agentAudit(s)).length, 0, 'not even a read');
  });
});

describe('shadow mode, pause and resume', () => {
  let s: TestServer;
  before(async () => {
    s = await agentServer();
    await beat(s);
  });
  after(() => s.close());

  it('shadow: decides and journals what it would do, and acts on nothing', async () => {
    await ok(s, 'agent.configure', { shadow: true });
    assert.equal((await deploy(s, 'shop', { 'api/main.js': GOOD_API })).status, 200);
    await hit(s, 'shop', 8);
    await beat(s);
    assert.equal((await deploy(s, 'shop', { 'api/main.js': BAD_API })).status, 200);
    await hit(s, 'shop', 8);
    const disk = (await ok(s, 'pulse.trend', { metric: 'disk', hours: 1 })).stats.last;
    await ok(s, 'pulse.configure', { thresholds: { diskWarningPercent: Math.max(1, disk - 1), diskCriticalPercent: 100 } });
    await beat(s);
    const ds = await decisions(s);
    const shop = ds.find((d) => d.kind === 'bad-deploy');
    const diskD = ds.find((d) => d.kind === 'disk-high');
    assert.equal(shop?.choice, 'would act');
    assert.equal(shop?.shadow, true);
    assert.deepEqual(shop?.action, { op: 'deploy.rollback', input: { app: 'shop', version: 1 } });
    assert.equal(diskD?.choice, 'would escalate');
    assert.equal(s.kernel.halts.list('all').length, 0, 'no halt');
    assert.equal((await ok(s, 'deploy.status', { app: 'shop' })).activeVersion, 2, 'no rollback');
    const rows = await agentAudit(s);
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => s.kernel.registry.get(r.op)?.risk === 'read'), JSON.stringify(rows.map((r) => r.op)));
    assert.match((await ok(s, 'agent.explain', { id: shop!.id })).text, /In shadow mode I would have/);
    await ok(s, 'agent.configure', { shadow: false });
  });

  it('paused: nothing is decided; after resume the next beat catches what was missed', async () => {
    await ok(s, 'pulse.configure', { thresholds: { diskWarningPercent: 85, diskCriticalPercent: 95 } });
    assert.equal((await deploy(s, 'cart', { 'api/main.js': GOOD_API })).status, 200);
    await hit(s, 'cart', 8);
    await beat(s);
    const paused = await ok(s, 'agent.pause', { for: '2h' });
    assert.ok(Date.parse(paused.pausedUntil) > Date.now());
    assert.equal((await ok(s, 'agent.status')).paused, true);
    assert.equal((await deploy(s, 'cart', { 'api/main.js': BAD_API })).status, 200);
    await hit(s, 'cart', 8);
    await beat(s);
    assert.equal((await decisions(s, { app: 'cart' })).length, 0);
    assert.deepEqual(await ok(s, 'agent.resume'), { resumed: true });
    await hit(s, 'cart', 8);
    await beat(s);
    const [d] = await decisions(s, { app: 'cart' });
    assert.equal(d.choice, 'act');
    assert.equal((await ok(s, 'deploy.status', { app: 'cart' })).activeVersion, 1);
  });
});

describe('agent ops: bad input, listings and the CLI', () => {
  let s: TestServer;
  before(async () => {
    s = await agentServer();
  });
  after(() => s.close());

  it('agent.configure names what is valid and changes nothing on bad input', async () => {
    const before = await ok(s, 'agent.configure');
    assert.equal(before.autonomy, 'medium');
    assert.equal(before.personality, 'helpful');
    assert.equal(before.shadow, false);
    const level = await s.op('agent.configure', { autonomy: 'extreme' });
    assert.equal(level.status, 400);
    assert.match(level.body.error.message, /autonomy.*low.*medium.*high/);
    const pers = await s.op('agent.configure', { personality: 'grumpy' });
    assert.match(pers.body.error.message, /helpful.*terse.*cautious/);
    const ch = await s.op('agent.configure', { channels: ['pager'] });
    assert.equal(ch.status, 400);
    assert.match(ch.body.error.message, /Unknown channel 'pager'; configured channels: \(none/);
    const app = await s.op('agent.configure', { apps: { ghost: { autonomy: 'low' } } });
    assert.match(app.body.error.message, /no app 'ghost'/);
    const field = await s.op('agent.configure', { level: 'low' });
    assert.match(field.body.error.message, /Unknown field 'level'.*autonomy/);
    const budget = await s.op('agent.configure', { budgets: { perDay: 3 } });
    assert.equal(budget.status, 400);
    assert.deepEqual(await ok(s, 'agent.configure'), before);
    assert.equal((await s.op('agent.pause', { for: 'soon' })).status, 400);
    assert.equal((await s.op('agent.explain', { id: 'dec_nope' })).status, 404);
    assert.equal((await s.op('agent.preferences.forget', {})).status, 400);
  });

  it('lists playbooks with their action, effect, undo and verification', async () => {
    const { playbooks } = await ok(s, 'agent.playbooks');
    assert.deepEqual(playbooks.map((p: { name: string }) => p.name), ['bad-deploy', 'app-failing', 'cert-expiring', 'disk-high', 'stale-halt', 'notify-failing', 'provider-rate-limited']);
    for (const p of playbooks) for (const f of ['action', 'expected', 'undo', 'verify']) assert.ok(p[f].length > 5, `${p.name}.${f}`);
  });

  it('fazt agent status|configure|playbooks|pause|resume|decisions on the command line', async () => {
    const opts = { dataDir: s.dataDir };
    const help = await runCli(['--help'], opts);
    assert.equal(help.code, 0, help.stderr);
    assert.equal((await runCli(['agent', 'status', '--help'], opts)).code, 0);
    for (const verb of ['status', 'configure', 'decisions', 'explain', 'playbooks', 'pause', 'resume']) assert.match(help.stdout, new RegExp(`agent ${verb}`));
    const conf = await runCli(['agent', 'configure', '--personality', 'terse', '--json'], opts);
    assert.equal(conf.code, 0, conf.stderr);
    assert.equal(JSON.parse(conf.stdout).personality, 'terse');
    const bad = await runCli(['agent', 'configure', '--autonomy', 'max'], opts);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /low.*medium.*high/);
    assert.equal((await runCli(['agent', 'pause', '--for', '10m'], opts)).code, 0);
    const st = await runCli(['agent', 'status', '--json'], opts);
    assert.equal(JSON.parse(st.stdout).paused, true);
    assert.equal((await runCli(['agent', 'resume'], opts)).code, 0);
    const pb = await runCli(['agent', 'playbooks', '--json'], opts);
    assert.equal(JSON.parse(pb.stdout).playbooks.length, 7);
    const ds = await runCli(['agent', 'decisions', '--json'], opts);
    assert.deepEqual(JSON.parse(ds.stdout).decisions, []);
  });
});
