import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { slackChannel } from '../../../src/notify/channels/slack.js';
import { loopbackReceiver, type LoopbackReceiver } from '../../helpers/loopback-receiver.js';
import { deliveryContract, manyActions, message } from './delivery-contract.js';

const HOOK_PATH = '/services/T0FAZT001/B0FAZT002/Qx7Lm2Np9Rs4Tv6Wy8Za1Bc3';
const config = (base: string) => ({ webhookUrl: `${base}${HOOK_PATH}` });

describe('slack: incoming webhook, against a loopback server following Slack\'s documented webhook contract', () => {
  let rx: LoopbackReceiver;
  before(async () => { rx = await loopbackReceiver(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: 'ok' })); });
  after(async () => { await rx.close(); });

  it('posts {text, blocks} as JSON to the webhook URL and maps Slack\'s "ok" to success', async () => {
    const r = await slackChannel.deliver(message, config(rx.url));
    assert.deepEqual(r, { ok: true, detail: 'ok' });
    const got = rx.received.at(-1)!;
    assert.equal(got.method, 'POST');
    assert.equal(got.path, HOOK_PATH);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers.authorization, undefined);
    assert.deepEqual(JSON.parse(got.body), {
      text: '[Critical] Disk almost full\nDisk /data is 93% full: &lt;data&gt; &amp; logs',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Disk almost full', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Disk /data is 93% full: &lt;data&gt; &amp; logs' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: ':rotating_light: *Critical*' }] },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'link-0', text: { type: 'plain_text', text: 'Open', emoji: true }, url: 'https://fazt.example/pulse' },
            { type: 'button', action_id: 'link-1', text: { type: 'plain_text', text: 'Approve cleanup', emoji: true }, url: 'https://fazt.example/halt/h1/approve?t=abc' },
            { type: 'button', action_id: 'link-2', text: { type: 'plain_text', text: 'Deny', emoji: true }, url: 'https://fazt.example/halt/h1/deny?t=abc' },
          ],
        },
      ],
    });
  });

  it('leaves out the actions block when there is no link, and the section when there is no body', async () => {
    await slackChannel.deliver({ ...message, severity: 'info', body: '', link: undefined, actions: [] }, config(rx.url));
    const sent = JSON.parse(rx.received.at(-1)!.body);
    assert.deepEqual(sent.blocks.map((b: { type: string }) => b.type), ['header', 'context']);
    assert.equal(sent.blocks[1].elements[0].text, ':information_source: *Info*');
    assert.equal(sent.text, '[Info] Disk almost full');
  });

  it('caps buttons at 5 and keeps Slack\'s text limits (header 150, button 75)', async () => {
    const long = { ...message, title: 'T'.repeat(400), actions: [{ label: 'L'.repeat(200), url: 'https://fazt.example/l' }, ...manyActions] };
    await slackChannel.deliver(long, config(rx.url));
    const sent = JSON.parse(rx.received.at(-1)!.body);
    const buttons = sent.blocks.at(-1).elements;
    assert.equal(buttons.length, 5);
    assert.equal(buttons[1].text.text.length, 75);
    assert.equal(sent.blocks[0].text.text.length, 150);
  });

  it('keeps the mrkdwn body within 3000 characters without cutting an escape in half', async () => {
    await slackChannel.deliver({ ...message, body: `a${'&'.repeat(3000)}` }, config(rx.url));
    const section = JSON.parse(rx.received.at(-1)!.body).blocks[1].text.text as string;
    assert.ok(section.length <= 3000, String(section.length));
    assert.match(section, /^a(&amp;)+…$/);
  });
});

deliveryContract({
  channel: slackChannel,
  config,
  urlField: 'webhookUrl',
  secrets: ['Qx7Lm2Np9Rs4Tv6Wy8Za1Bc3'],
  errorContentType: 'text/html',
  // Slack answers errors as short plain words.
  errors: { 400: 'invalid_payload', 401: 'invalid_auth', 403: 'invalid_token', 429: 'rate_limited', 500: 'rollup_error' },
});
