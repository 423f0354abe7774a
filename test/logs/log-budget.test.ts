import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from '../runtime/app-client.js';

/** Logs 300 lines of 20 kB per request. */
const CHATTY = 'export default () => { for (let i = 0; i < 300; i++) fazt.log.info("line " + i + " " + "x".repeat(20000)); return { body: "ok" } }';

describe('an app cannot flood the logs', () => {
  let s: TestServer;
  const lines = async () => (await s.op('logs.query', { app: 'chatty', limit: 1000 })).body.entries as { message: string; requestId: string | null; level: string }[];

  before(async () => {
    s = await startServer();
    assert.equal((await deploy(s, 'chatty', { 'api/main.js': CHATTY })).status, 200);
  });
  after(() => s.close());

  it('a line is cut at 8 KiB with a marker; a request keeps 100 lines and one line saying how many were dropped', async () => {
    const r = await appRequest(s, 'chatty', '/api/x');
    assert.equal(r.status, 200, r.text);
    const id = String(r.headers['x-request-id']);
    const mine = (await lines()).filter((l) => l.requestId === id);
    assert.equal(mine.length, 101, `${mine.length} lines`);
    const kept = mine.filter((l) => l.message.startsWith('line '));
    assert.equal(kept.length, 100);
    assert.ok(kept.every((l) => Buffer.byteLength(l.message) <= 8 * 1024 + 64));
    assert.match(kept[0].message, /… \[truncated, 200\d\d bytes\]$/);
    const summary = mine.find((l) => !l.message.startsWith('line '))!;
    assert.match(summary.message, /200 more log lines of this request were dropped \(at most 100 per request\)/);
  });

  it('past 1 MiB a minute the app\'s lines are dropped, it says so once, and pulse names the app and the count', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await appRequest(s, 'chatty', '/api/x')).status, 200);
    const all = await lines();
    const stored = all.reduce((n, l) => n + Buffer.byteLength(l.message), 0);
    assert.ok(stored <= 1024 * 1024 + 64 * 1024, `${stored} bytes stored`);
    assert.equal(all.filter((l) => /bytes of logs per minute/.test(l.message)).length, 1);

    const beat = await s.op('pulse.beat', {});
    assert.equal(beat.status, 200, JSON.stringify(beat.body));
    const dropped = beat.body.metrics.logs.bySlug.chatty.dropped;
    assert.ok(dropped > 1000, `dropped ${dropped}`);
    assert.equal(beat.body.metrics.logs.droppedLines, dropped);
    const issue = beat.body.issues.find((i: { key: string }) => i.key === 'logs.dropped:chatty');
    assert.ok(issue, JSON.stringify(beat.body.issues.map((i: { key: string }) => i.key)));
    assert.match(issue.title, new RegExp(`chatty.*${dropped}`));

    const next = await s.op('pulse.beat', {});
    assert.equal(next.body.metrics.logs.droppedLines, 0, 'counted once');
    assert.ok(!next.body.issues.some((i: { key: string }) => i.key === 'logs.dropped:chatty'));
  });
});
