import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { smsChannel } from '../../../src/notify/channels/sms.js';
import { loopbackReceiver, type LoopbackReceiver } from '../../helpers/loopback-receiver.js';
import { deliveryContract, message } from './delivery-contract.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'f3b9c1d7e5a2468097b1c3d5e7f9a0b2';
const config = (base: string) => ({ accountSid: SID, authToken: TOKEN, from: '+15017122661', to: '+15558675310', apiBase: base });
const CREATED = `{"account_sid": "${SID}", "body": "[Critical] Disk almost full", "sid": "SM1f0e8ae6ade43cb3c0ce4525424e404f", "status": "queued", "error_code": null}`;

describe('sms: Twilio Messages API, against a loopback server following Twilio\'s documented REST contract', () => {
  let rx: LoopbackReceiver;
  before(async () => { rx = await loopbackReceiver(() => ({ status: 201, headers: { 'content-type': 'application/json' }, body: CREATED })); });
  after(async () => { await rx.close(); });

  it('posts To, From, Body form-encoded with Basic auth to Messages.json, and maps 201 to success', async () => {
    const r = await smsChannel.deliver(message, config(rx.url));
    assert.deepEqual(r, { ok: true, detail: CREATED });
    const got = rx.received.at(-1)!;
    assert.equal(got.method, 'POST');
    assert.equal(got.path, `/2010-04-01/Accounts/${SID}/Messages.json`);
    assert.equal(got.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(got.headers.authorization, `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    assert.equal(got.body, 'To=%2B15558675310&From=%2B15017122661&Body=%5BCritical%5D+Disk+almost+full%0Ahttps%3A%2F%2Ffazt.example%2Fpulse');
  });

  it('keeps the body to 320 characters with the first link whole, taking an action when there is no link', async () => {
    await smsChannel.deliver({ ...message, title: 'T'.repeat(400) }, config(rx.url));
    let body = new URLSearchParams(rx.received.at(-1)!.body).get('Body')!;
    assert.equal(body.length, 320);
    assert.ok(body.endsWith('…\nhttps://fazt.example/pulse'), body);
    await smsChannel.deliver({ ...message, severity: 'warning', link: undefined }, config(rx.url));
    body = new URLSearchParams(rx.received.at(-1)!.body).get('Body')!;
    assert.equal(body, '[Warning] Disk almost full\nhttps://fazt.example/halt/h1/approve?t=abc');
    await smsChannel.deliver({ ...message, link: `https://fazt.example/${'x'.repeat(400)}`, actions: [] }, config(rx.url));
    body = new URLSearchParams(rx.received.at(-1)!.body).get('Body')!;
    assert.equal(body, '[Critical] Disk almost full', 'a link too long to fit is left out rather than cut');
  });

  it('config refuses an account SID or phone number Twilio would not accept, by name', () => {
    const r1 = smsChannel.config.safeParse({ ...config('https://api.twilio.com'), accountSid: 'SK123' });
    assert.deepEqual(r1.error?.issues.map((i) => i.path.join('.')), ['accountSid']);
    const r2 = smsChannel.config.safeParse({ ...config('https://api.twilio.com'), to: '555-1234' });
    assert.deepEqual(r2.error?.issues.map((i) => i.path.join('.')), ['to']);
    const ok = smsChannel.config.safeParse({ accountSid: SID, authToken: TOKEN, from: 'FAZT', to: '+15558675310' });
    assert.equal(ok.success && ok.data.apiBase, 'https://api.twilio.com');
  });
});

deliveryContract({
  channel: smsChannel,
  config,
  urlField: 'apiBase',
  secrets: [TOKEN],
  errorContentType: 'application/json',
  errors: {
    400: '{"code": 21211, "message": "Invalid \'To\' Phone Number: +1555", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}',
    401: '{"code": 20003, "detail": "Your AccountSid or AuthToken was incorrect.", "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}',
    403: '{"code": 20005, "message": "Account not active", "more_info": "https://www.twilio.com/docs/errors/20005", "status": 403}',
    429: '{"code": 20429, "message": "Too Many Requests", "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}',
    500: '{"code": 20500, "message": "An internal server error has occurred", "more_info": "https://www.twilio.com/docs/errors/20500", "status": 500}',
  },
});
