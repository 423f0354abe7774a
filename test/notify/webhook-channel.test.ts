import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { hookReceiver, verifyStandardWebhook, type HookReceiver } from './receivers.js';

const SECRET = 'whsec_' + Buffer.from('canary-signing-key-0123456789abcdef').toString('base64');

describe('notify: webhook channel signed per Standard Webhooks, against a loopback receiver', () => {
  let s: TestServer;
  let hook: HookReceiver;
  before(async () => {
    hook = await hookReceiver();
    s = await startServer();
  });
  after(async () => {
    await s.close();
    await hook.close();
  });

  it('adds a channel, keeping the signing secret out of list', async () => {
    const add = await s.op('notify.channels.add', { type: 'webhook', name: 'ops-hook', config: { url: hook.url, secret: SECRET } });
    assert.equal(add.status, 200, JSON.stringify(add.body));
    const list = await s.op('notify.channels.list', {});
    assert.equal(list.status, 200);
    const ch = list.body.channels.find((c: { name: string }) => c.name === 'ops-hook');
    assert.deepEqual(ch.config, { url: hook.url });
    assert.deepEqual(ch.secretsSet, ['secret']);
    assert.ok(!JSON.stringify(list.body).includes(SECRET.slice(6)));
  });

  it('sends a signed JSON body that an independent verifier accepts, and a tampered body fails it', async () => {
    const r = await s.op('notify.send', { title: 'Disk almost full', body: 'shop uses 91 %', severity: 'critical', link: 'https://example.test/pulse', actions: [{ label: 'Open', url: 'https://example.test/x' }] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.deliveries.map((d: { channel: string; status: string }) => [d.channel, d.status]), [['ops-hook', 'sent']]);
    const got = hook.received.at(-1)!;
    assert.equal(got.headers['webhook-id'], r.body.id);
    assert.match(String(got.headers['webhook-timestamp']), /^\d{10}$/);
    assert.ok(verifyStandardWebhook(SECRET, got), 'signature verifies');
    const body = JSON.parse(got.body);
    assert.equal(body.type, 'fazt.notification');
    assert.equal(body.id, r.body.id);
    assert.equal(body.title, 'Disk almost full');
    assert.equal(body.severity, 'critical');
    assert.deepEqual(body.actions, [{ label: 'Open', url: 'https://example.test/x' }]);
    assert.equal(verifyStandardWebhook(SECRET, { ...got, body: got.body.replace('91', '19') }), false, 'tampered body is rejected');
  });

  it('tests a channel now and returns the receiver answer', async () => {
    hook.status = 200;
    const r = await s.op('notify.channels.test', { name: 'ops-hook' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.ok, true);
    assert.match(r.body.detail, /HTTP 200.*accepted/);
  });

  it('refuses an invalid config naming the field, and an unknown type listing the known ones', async () => {
    const bad = await s.op('notify.channels.add', { type: 'webhook', name: 'bad', config: { url: 'ftp://example.test/x', secret: SECRET } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'BAD_INPUT');
    assert.match(bad.body.error.message, /config\.url/);
    assert.ok(!JSON.stringify(bad.body).includes(SECRET.slice(6)));
    const extra = await s.op('notify.channels.add', { type: 'webhook', name: 'bad', config: { url: hook.url, secret: SECRET, colour: 'red' } });
    assert.equal(extra.status, 400);
    assert.match(extra.body.error.message, /colour/);
    const badSecret = await s.op('notify.channels.add', { type: 'webhook', name: 'bad', config: { url: hook.url, secret: 'plain' } });
    assert.equal(badSecret.status, 400);
    assert.match(badSecret.body.error.message, /config\.secret.*whsec_/);
    const unknown = await s.op('notify.channels.add', { type: 'pigeon', name: 'bad', config: {} });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'BAD_INPUT');
    assert.match(unknown.body.error.message, /pigeon/);
    assert.match(unknown.body.error.message, /email/);
    assert.match(unknown.body.error.message, /webhook/);
  });

  it('never shows the secret in history, audit, events or data.db', async () => {
    const history = await s.op('notify.history', {});
    assert.equal(history.status, 200);
    assert.ok(history.body.deliveries.length >= 1);
    const audit = await s.op('audit.query', { limit: 200 });
    const events = await s.op('events.list', { limit: 500 });
    const key = SECRET.slice(6);
    for (const [what, text] of [['history', JSON.stringify(history.body)], ['audit', JSON.stringify(audit.body)], ['events', JSON.stringify(events.body)]]) {
      assert.ok(!text.includes(key), `${what} shows the secret`);
    }
    s.kernel.audit.flush();
    for (const f of ['data.db', 'data.db-wal']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(s.dataDir, f));
      } catch {
        continue;
      }
      assert.ok(!bytes.includes(key), `${f} holds the secret in plain text`);
    }
  });

  it('works from the CLI: add with --config, test <name>, history, remove', async () => {
    const add = await runCli(['notify', 'channels', 'add', 'webhook', 'cli-hook', '--config', JSON.stringify({ url: hook.url, secret: SECRET })], { dataDir: s.dataDir });
    assert.equal(add.code, 0, add.stderr);
    const t = await runCli(['notify', 'test', 'cli-hook'], { dataDir: s.dataDir });
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /HTTP 200/);
    const sent = await runCli(['notify', 'send', 'Hello', 'from the terminal', '--channel', 'cli-hook'], { dataDir: s.dataDir });
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, /sent/);
    const h = await runCli(['notify', 'history', '--channel', 'cli-hook'], { dataDir: s.dataDir });
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /cli-hook/);
    const rm = await runCli(['notify', 'channels', 'remove', 'cli-hook'], { dataDir: s.dataDir });
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal(s.kernel.services.secrets.has('notify.cli-hook.secret'), false);
  });
});
