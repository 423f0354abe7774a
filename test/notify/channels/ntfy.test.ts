import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ntfyChannel } from '../../../src/notify/channels/ntfy.js';
import { loopbackReceiver, type LoopbackReceiver } from '../../helpers/loopback-receiver.js';
import { deliveryContract, manyActions, message } from './delivery-contract.js';

const TOKEN = 'tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2';
const config = (base: string) => ({ server: base, topic: 'fazt-alerts', token: TOKEN });
const PUBLISHED = '{"id":"hwQ2YpKdmg","time":1795930800,"expires":1795974000,"event":"message","topic":"fazt-alerts","message":"ok"}\n';

describe('ntfy: JSON publish, against a loopback server following ntfy\'s documented publish contract', () => {
  let rx: LoopbackReceiver;
  before(async () => { rx = await loopbackReceiver(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: PUBLISHED })); });
  after(async () => { await rx.close(); });

  it('posts the JSON form to the server root with a Bearer token, and maps the published event to success', async () => {
    const r = await ntfyChannel.deliver(message, config(rx.url));
    assert.deepEqual(r, { ok: true, detail: PUBLISHED });
    const got = rx.received.at(-1)!;
    assert.equal(got.method, 'POST');
    assert.equal(got.path, '/');
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(JSON.parse(got.body), {
      topic: 'fazt-alerts',
      title: 'Disk almost full',
      message: 'Disk /data is 93% full: <data> & logs',
      priority: 5,
      tags: ['rotating_light', 'critical'],
      click: 'https://fazt.example/pulse',
      actions: [
        { action: 'view', label: 'Approve cleanup', url: 'https://fazt.example/halt/h1/approve?t=abc' },
        { action: 'view', label: 'Deny', url: 'https://fazt.example/halt/h1/deny?t=abc' },
      ],
    });
  });

  it('sends no Authorization without a token, keeps a server path prefix, and maps severity to priority', async () => {
    await ntfyChannel.deliver({ ...message, severity: 'warning', link: undefined, actions: undefined }, { server: `${rx.url}/ntfy/`, topic: 'ops_1' });
    let got = rx.received.at(-1)!;
    assert.equal(got.path, '/ntfy/');
    assert.equal(got.headers.authorization, undefined);
    const sent = JSON.parse(got.body);
    assert.equal(sent.priority, 4);
    assert.deepEqual(sent.tags, ['warning']);
    assert.equal('click' in sent || 'actions' in sent, false);
    await ntfyChannel.deliver({ ...message, severity: 'info' }, config(rx.url));
    got = rx.received.at(-1)!;
    assert.equal(JSON.parse(got.body).priority, 3);
  });

  it('sends at most 3 view actions (ntfy\'s limit)', async () => {
    await ntfyChannel.deliver({ ...message, actions: manyActions }, config(rx.url));
    const sent = JSON.parse(rx.received.at(-1)!.body);
    assert.deepEqual(sent.actions.map((a: { label: string }) => a.label), ['Action 1', 'Action 2', 'Action 3']);
  });

  it('defaults the server to https://ntfy.sh and refuses a topic ntfy would not accept', () => {
    const ok = ntfyChannel.config.safeParse({ topic: 'fazt-alerts' });
    assert.equal(ok.success && ok.data.server, 'https://ntfy.sh');
    for (const topic of ['a/b', '', 'x'.repeat(65), 'spaces here']) {
      const r = ntfyChannel.config.safeParse({ topic });
      assert.deepEqual(r.error?.issues.map((i) => i.path.join('.')), ['topic'], topic);
    }
  });
});

deliveryContract({
  channel: ntfyChannel,
  config,
  urlField: 'server',
  secrets: [TOKEN],
  errorContentType: 'application/json',
  errors: {
    400: '{"code":40024,"http":400,"error":"invalid request: topic invalid"}\n',
    401: '{"code":40101,"http":401,"error":"unauthorized","link":"https://ntfy.sh/docs/publish/#authentication"}\n',
    403: '{"code":40301,"http":403,"error":"forbidden","link":"https://ntfy.sh/docs/publish/#authentication"}\n',
    429: '{"code":42901,"http":429,"error":"limit reached: too many requests","link":"https://ntfy.sh/docs/publish/#limitations"}\n',
    500: '{"code":50001,"http":500,"error":"internal server error"}\n',
  },
});
