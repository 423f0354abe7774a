import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Channel, ChannelConfig, Message } from '../../../src/notify/channels/types.js';
import { closedPort, loopbackReceiver, type LoopbackReceiver } from '../../helpers/loopback-receiver.js';

export const message: Message = {
  id: 'msg_01HZX',
  title: 'Disk almost full',
  body: 'Disk /data is 93% full: <data> & logs',
  severity: 'critical',
  link: 'https://fazt.example/pulse',
  actions: [
    { label: 'Approve cleanup', url: 'https://fazt.example/halt/h1/approve?t=abc' },
    { label: 'Deny', url: 'https://fazt.example/halt/h1/deny?t=abc' },
  ],
  at: '2026-11-29T03:40:00.000Z',
};

/** Five or more actions, to see each channel's cap. */
export const manyActions = Array.from({ length: 8 }, (_, i) => ({ label: `Action ${i + 1}`, url: `https://fazt.example/a/${i + 1}` }));

export interface ContractCase {
  channel: Channel;
  /** A valid config whose base URL is the receiver's. */
  config(base: string): ChannelConfig;
  /** The config field holding the URL a bad scheme is tried on. */
  urlField: string;
  /** Values that must never appear in a result's detail. */
  secrets: string[];
  /** The service's documented error answers, by status. */
  errors: Record<400 | 401 | 403 | 429 | 500, string>;
  errorContentType: string;
}

/**
 * The result mapping every HTTP channel shares, run against a loopback server that
 * answers with the service's documented error bodies.
 */
export function deliveryContract(c: ContractCase): void {
  describe(`${c.channel.type}: result mapping and config, against a loopback server following the service's documented contract`, () => {
    let rx: LoopbackReceiver;
    before(async () => { rx = await loopbackReceiver(() => ({ status: 500 })); });
    after(async () => { await rx.close(); });

    const answer = (status: number, body: string, headers: Record<string, string> = {}) =>
      rx.respond(() => ({ status, headers: { 'content-type': c.errorContentType, ...headers }, body }));

    it('429 with Retry-After is retryable after that many seconds, with the answer as detail', async () => {
      answer(429, c.errors[429], { 'retry-after': '7' });
      const r = await c.channel.deliver(message, c.config(rx.url));
      assert.deepEqual(r, { ok: false, permanent: false, retryAfterSeconds: 7, detail: c.errors[429] });
    });

    for (const status of [400, 401, 403] as const) {
      it(`${status} is a permanent failure, with the answer verbatim`, async () => {
        answer(status, c.errors[status]);
        const r = await c.channel.deliver(message, c.config(rx.url));
        assert.deepEqual(r, { ok: false, permanent: true, detail: c.errors[status] });
      });
    }

    it('500 is retryable', async () => {
      answer(500, c.errors[500]);
      const r = await c.channel.deliver(message, c.config(rx.url));
      assert.deepEqual(r, { ok: false, permanent: false, detail: c.errors[500] });
    });

    it('a redirect is permanent and not followed, so the POST never turns into a GET', async () => {
      rx.respond(() => ({ status: 301, headers: { location: '/moved' } }));
      const before = rx.received.length;
      const r = await c.channel.deliver(message, c.config(rx.url));
      assert.equal(r.ok, false);
      assert.equal(r.ok === false && r.permanent, true);
      assert.match(r.ok === false ? r.detail : '', /301.*\/moved/);
      assert.equal(rx.received.length, before + 1);
    });

    it('an unreachable server is retryable, and says why', async () => {
      const port = await closedPort();
      const r = await c.channel.deliver(message, c.config(`http://127.0.0.1:${port}`));
      assert.equal(r.ok, false);
      assert.equal(r.ok === false && r.permanent, false);
      assert.match(r.ok === false ? r.detail : '', /ECONNREFUSED/);
    });

    it('a secret never reaches detail, even when the server echoes the whole request', async () => {
      rx.respond((req) => ({ status: 403, body: JSON.stringify({ echo: req, basic: Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString() }) }));
      const r = await c.channel.deliver(message, c.config(rx.url));
      assert.equal(r.ok, false);
      const detail = r.ok === false ? r.detail : '';
      assert.ok(detail.length > 0 && detail.length <= 500, detail);
      for (const s of c.secrets) assert.ok(!detail.includes(s), `${s} in ${detail}`);
      assert.match(detail, /\[redacted\]/);
    });

    it('a long answer is cut to 500 characters', async () => {
      answer(400, 'x'.repeat(2000));
      const r = await c.channel.deliver(message, c.config(rx.url));
      assert.equal(r.ok === false && r.detail, 'x'.repeat(500));
    });

    it('an abort while the server holds the request ends the delivery as retryable, without throwing', async () => {
      rx.respond(() => 'hold');
      const ac = new AbortController();
      const arrived = rx.nextRequest();
      const pending = c.channel.deliver(message, c.config(rx.url), ac.signal);
      await arrived;
      ac.abort();
      const r = await pending;
      assert.equal(r.ok, false);
      assert.equal(r.ok === false && r.permanent, false);
      assert.match(r.ok === false ? r.detail : '', /abort/i);
    });

    it('config refuses an unknown field by name', () => {
      const r = c.channel.config.safeParse({ ...c.config('https://example.com'), colour: 'red' });
      assert.equal(r.success, false);
      assert.match(JSON.stringify(r.error?.issues), /colour/);
    });

    it(`config refuses a ${c.urlField} that is not http or https, naming the field`, () => {
      for (const bad of ['ftp://example.com/x', 'not a url', 'javascript:alert(1)']) {
        const r = c.channel.config.safeParse({ ...c.config('https://example.com'), [c.urlField]: bad });
        assert.equal(r.success, false, bad);
        assert.deepEqual(r.error?.issues.map((i) => i.path.join('.')), [c.urlField]);
      }
    });

    it('an invalid config is a permanent failure naming the field, and nothing is sent', async () => {
      const before = rx.received.length;
      const r = await c.channel.deliver(message, { ...c.config(rx.url), [c.urlField]: 'ftp://x' });
      assert.equal(r.ok, false);
      assert.equal(r.ok === false && r.permanent, true);
      assert.match(r.ok === false ? r.detail : '', new RegExp(c.urlField));
      assert.equal(rx.received.length, before);
    });

    it('lists its credentials as secret fields', () => {
      assert.ok(c.channel.secretFields.length > 0);
      for (const f of c.channel.secretFields) assert.ok(f in c.config('https://example.com'), f);
    });
  });
}
