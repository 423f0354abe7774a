import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { discordChannel } from '../../../src/notify/channels/discord.js';
import { loopbackReceiver, type LoopbackReceiver } from '../../helpers/loopback-receiver.js';
import { deliveryContract, manyActions, message } from './delivery-contract.js';

const TOKEN = 'k3Jd8sLq0Wm2Xn4Zp6Rt8Vb1Yc3Ae5Gh7Ij9Kl1Mn3Op5Qr7St9Uv1Wx3Yz5Ab7Cd9Ef';
const HOOK_PATH = `/api/webhooks/1181234567890123456/${TOKEN}`;
const config = (base: string) => ({ webhookUrl: `${base}${HOOK_PATH}` });
const SENT = '{"id":"1181234567890999999","type":0,"channel_id":"1181234567890000001","content":"","embeds":[]}';

describe('discord: webhook execute, against a loopback server following Discord\'s documented webhook contract', () => {
  let rx: LoopbackReceiver;
  before(async () => { rx = await loopbackReceiver(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: SENT })); });
  after(async () => { await rx.close(); });

  it('posts one embed with ?wait=true and maps the returned message to success', async () => {
    const r = await discordChannel.deliver(message, config(rx.url));
    assert.deepEqual(r, { ok: true, detail: SENT });
    const got = rx.received.at(-1)!;
    assert.equal(got.method, 'POST');
    assert.equal(got.path, `${HOOK_PATH}?wait=true`);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers.authorization, undefined);
    assert.deepEqual(JSON.parse(got.body), {
      allowed_mentions: { parse: [] },
      embeds: [
        {
          title: 'Disk almost full',
          description: 'Disk /data is 93% full: <data> & logs',
          url: 'https://fazt.example/pulse',
          color: 0xdc2626,
          timestamp: '2026-11-29T03:40:00.000Z',
          fields: [
            { name: 'Severity', value: 'Critical', inline: true },
            { name: 'Links', value: '[Approve cleanup](https://fazt.example/halt/h1/approve?t=abc)\n[Deny](https://fazt.example/halt/h1/deny?t=abc)', inline: false },
          ],
        },
      ],
    });
  });

  it('accepts 204 (a webhook answering without wait), keeps a thread_id query, colours by severity', async () => {
    rx.respond(() => ({ status: 204 }));
    const r = await discordChannel.deliver({ ...message, severity: 'warning', link: undefined, actions: undefined }, { webhookUrl: `${rx.url}${HOOK_PATH}?thread_id=42` });
    assert.deepEqual(r, { ok: true, detail: '' });
    const got = rx.received.at(-1)!;
    assert.equal(got.path, `${HOOK_PATH}?thread_id=42&wait=true`);
    const embed = JSON.parse(got.body).embeds[0];
    assert.equal(embed.color, 0xf59e0b);
    assert.equal(embed.url, undefined);
    assert.deepEqual(embed.fields, [{ name: 'Severity', value: 'Warning', inline: true }]);
  });

  it('caps links at 5, escapes link labels, and keeps Discord\'s limits (title 256, description 4096)', async () => {
    rx.respond(() => ({ status: 200, body: SENT }));
    await discordChannel.deliver({ ...message, title: 'T'.repeat(300), body: 'B'.repeat(5000), actions: [{ label: 'a [b] c', url: 'https://fazt.example/x_(y)' }, ...manyActions] }, config(rx.url));
    const embed = JSON.parse(rx.received.at(-1)!.body).embeds[0];
    assert.equal(embed.title.length, 256);
    assert.equal(embed.description.length, 4096);
    const lines = embed.fields[1].value.split('\n');
    assert.equal(lines.length, 5);
    assert.equal(lines[0], '[a \\[b\\] c](https://fazt.example/x_%28y%29)');
  });
});

deliveryContract({
  channel: discordChannel,
  config,
  urlField: 'webhookUrl',
  secrets: [TOKEN],
  errorContentType: 'application/json',
  errors: {
    400: '{"message": "Cannot send an empty message", "code": 50006}',
    401: '{"message": "401: Unauthorized", "code": 0}',
    403: '{"message": "Missing Access", "code": 50001}',
    429: '{"message": "You are being rate limited.", "retry_after": 6.457, "global": false}',
    500: '{"message": "500: Internal Server Error", "code": 0}',
  },
});
