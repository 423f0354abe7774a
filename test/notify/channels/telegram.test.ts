import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { telegramChannel } from '../../../src/notify/channels/telegram.js';
import { loopbackReceiver, type LoopbackReceiver } from '../../helpers/loopback-receiver.js';
import { deliveryContract, manyActions, message } from './delivery-contract.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const config = (base: string) => ({ botToken: TOKEN, chatId: -1001234567890, apiBase: base });
const SENT = '{"ok":true,"result":{"message_id":42,"chat":{"id":-1001234567890,"type":"channel"},"date":1795930800,"text":"..."}}';

describe('telegram: Bot API sendMessage, against a loopback server following the Bot API\'s documented contract', () => {
  let rx: LoopbackReceiver;
  before(async () => { rx = await loopbackReceiver(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: SENT })); });
  after(async () => { await rx.close(); });

  it('posts sendMessage as JSON with escaped HTML and URL buttons, and maps {ok:true} to success', async () => {
    const r = await telegramChannel.deliver(message, config(rx.url));
    assert.deepEqual(r, { ok: true, detail: SENT });
    const got = rx.received.at(-1)!;
    assert.equal(got.method, 'POST');
    assert.equal(got.path, `/bot${TOKEN}/sendMessage`);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers.authorization, undefined);
    assert.deepEqual(JSON.parse(got.body), {
      chat_id: -1001234567890,
      text: '<b>[Critical] Disk almost full</b>\n\nDisk /data is 93% full: &lt;data&gt; &amp; logs',
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: {
        inline_keyboard: [
          [{ text: 'Open', url: 'https://fazt.example/pulse' }],
          [{ text: 'Approve cleanup', url: 'https://fazt.example/halt/h1/approve?t=abc' }],
          [{ text: 'Deny', url: 'https://fazt.example/halt/h1/deny?t=abc' }],
        ],
      },
    });
  });

  it('escapes the title too, takes a @channel chat id, and leaves out the keyboard when there are no links', async () => {
    await telegramChannel.deliver({ ...message, title: 'a<b>&c', body: '', link: undefined, actions: [] }, { botToken: TOKEN, chatId: '@fazt_alerts', apiBase: rx.url });
    const sent = JSON.parse(rx.received.at(-1)!.body);
    assert.equal(sent.chat_id, '@fazt_alerts');
    assert.equal(sent.text, '<b>[Critical] a&lt;b&gt;&amp;c</b>');
    assert.equal('reply_markup' in sent, false);
  });

  it('caps buttons at 5 rows and the text at Telegram\'s 4096 characters', async () => {
    await telegramChannel.deliver({ ...message, body: '<'.repeat(5000), actions: manyActions }, config(rx.url));
    const sent = JSON.parse(rx.received.at(-1)!.body);
    assert.equal(sent.reply_markup.inline_keyboard.length, 5);
    // The limit counts characters after entity parsing: each &lt; is one.
    const parsed = sent.text.replace(/<\/?b>/g, '').replace(/&lt;/g, '<');
    assert.ok(parsed.length <= 4096, String(parsed.length));
    assert.ok(parsed.length > 4000, String(parsed.length));
    assert.ok(!/&[a-z]*$/.test(sent.text), 'no entity cut in half');
  });

  it('puts loopback and .localhost links in the text instead of buttons, which Telegram refuses (BUTTON_URL_INVALID)', async () => {
    const local = { ...message, link: 'http://127.0.0.1:8080/pulse', actions: [{ label: 'Approve', url: 'http://shop.localhost:8080/a?x=1&y=2' }, { label: 'Docs', url: 'https://fazt.example/docs' }] };
    await telegramChannel.deliver(local, config(rx.url));
    const sent = JSON.parse(rx.received.at(-1)!.body);
    assert.deepEqual(sent.reply_markup.inline_keyboard, [[{ text: 'Docs', url: 'https://fazt.example/docs' }]]);
    assert.equal(sent.text, '<b>[Critical] Disk almost full</b>\n\nDisk /data is 93% full: &lt;data&gt; &amp; logs\n\nOpen: http://127.0.0.1:8080/pulse\nApprove: http://shop.localhost:8080/a?x=1&amp;y=2');
  });

  it('429 without a Retry-After header takes parameters.retry_after from the answer', async () => {
    const body = '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 13","parameters":{"retry_after":13}}';
    rx.respond(() => ({ status: 429, headers: { 'content-type': 'application/json' }, body }));
    const r = await telegramChannel.deliver(message, config(rx.url));
    assert.deepEqual(r, { ok: false, permanent: false, retryAfterSeconds: 13, detail: body });
  });

  it('config refuses a bot token that is not <id>:<secret> and defaults apiBase', () => {
    const r = telegramChannel.config.safeParse({ botToken: '123/../x', chatId: 1 });
    assert.deepEqual(r.error?.issues.map((i) => i.path.join('.')), ['botToken']);
    const ok = telegramChannel.config.safeParse({ botToken: TOKEN, chatId: 1 });
    assert.equal(ok.success && ok.data.apiBase, 'https://api.telegram.org');
  });
});

deliveryContract({
  channel: telegramChannel,
  config,
  urlField: 'apiBase',
  secrets: [TOKEN, TOKEN.split(':')[1]],
  errorContentType: 'application/json',
  errors: {
    400: '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}',
    401: '{"ok":false,"error_code":401,"description":"Unauthorized"}',
    403: '{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}',
    429: '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}',
    500: '{"ok":false,"error_code":500,"description":"Internal Server Error"}',
  },
});
