import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loopbackReceiver, type LoopbackReceiver } from '../helpers/loopback-receiver.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * The whole path a person sees: a token's destructive call halts, a Slack
 * message (to a loopback server following Slack's incoming-webhook contract)
 * carries signed approve/deny buttons, opening one only shows a page, and the
 * page's button runs the call.
 */
describe('a halt reaches Slack with one-tap approval links', () => {
  let s: TestServer;
  let slack: LoopbackReceiver;
  before(async () => {
    slack = await loopbackReceiver(() => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' }));
    s = await startServer();
    const add = await s.op('notify.channels.add', { type: 'slack', name: 'team', config: { webhookUrl: `${slack.url}/services/T000/B000/secretpart` } });
    assert.equal(add.status, 200, JSON.stringify(add.body));
    assert.ok(!JSON.stringify(add.body).includes('secretpart'));
  });
  after(async () => {
    await s.close();
    await slack.close();
  });

  it('sends the halt with approve and deny buttons; the approve button, once tapped and confirmed, deletes the app', async () => {
    assert.equal((await s.op('apps.create', { name: 'shop' })).status, 200);
    const t = await s.op('tokens.create', { name: 'ops-bot', cap: ['kernel:apps:write'] }, { human: true });
    const arrived = slack.nextRequest();
    const halted = await s.op('apps.delete', { id: 'shop' }, { token: t.body.token });
    assert.equal(halted.status, 202, JSON.stringify(halted.body));
    const msg = JSON.parse((await arrived).body) as { text: string; blocks: { type: string; elements?: { type: string; url?: string; text?: { text: string } }[] }[] };
    assert.match(msg.text, /Approval needed/);
    const buttons = msg.blocks.flatMap((b) => b.elements ?? []).filter((e) => e.type === 'button');
    const approve = buttons.find((b) => /approve/i.test(b.text?.text ?? ''))?.url;
    assert.ok(approve && approve.includes('/approve/'), JSON.stringify(buttons));

    const page = await fetch(approve);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.equal((await s.op('apps.get', { id: 'shop' })).status, 200, 'opening the link changed nothing');
    const nonce = /name="nonce" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(nonce);
    const done = await fetch(approve, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(approve).origin }, body: new URLSearchParams({ nonce }).toString() });
    assert.equal(done.status, 200, await done.text());
    assert.equal((await s.op('apps.get', { id: 'shop' })).status, 404, 'the approved call ran');
  });
});
