import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

interface Row { op: string; surface: string; outcome: string; caller: string; errorCode: string | null; input: any; requestId: string | null }

const FAKE = 'fzt_0123456789ab_' + 'S'.repeat(43);

async function refusedRows(s: TestServer, extra: Record<string, unknown> = {}): Promise<Row[]> {
  const r = await s.op('audit.query', { outcome: 'unauthenticated', limit: 1000, ...extra });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.entries;
}

describe('failed authentication leaves a trace', () => {
  let s: TestServer;
  before(async () => (s = await startServer()));
  after(() => s.close());

  const call = (name: string, authorization?: string) =>
    fetch(`${s.url}/api/ops/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: '{}' });

  it('on /api/ops: one audit row per refused call, with the op asked for and why, never the token', async () => {
    const expiring = await s.op('tokens.create', { name: 'short', cap: ['kernel:apps:read'], expires: '1ms' }, { human: true });
    const revoked = await s.op('tokens.create', { name: 'gone', cap: ['kernel:apps:read'] }, { human: true });
    assert.equal((await s.op('tokens.revoke', { id: revoked.body.info.id })).status, 200, 'revoke');
    const cases: [string, string | undefined, string][] = [
      ['apps.list', undefined, 'missing'],
      ['apps.get', 'Bearer hello', 'malformed'],
      ['apps.delete', `Bearer ${FAKE}`, 'unknown'],
      ['apps.list', `Bearer ${expiring.body.token}`, 'expired'],
      ['no.such.op', `Bearer ${revoked.body.token}`, 'revoked'],
    ];
    const ids: string[] = [];
    for (const [op, auth, reason] of cases) {
      const r = await call(op, auth);
      assert.equal(r.status, 401, `${op} ${reason}`);
      ids.push(r.headers.get('x-request-id')!);
    }
    const rows = await refusedRows(s);
    for (const [i, [op, , reason]] of cases.entries()) {
      const row = rows.find((x) => x.requestId === ids[i]);
      assert.ok(row, `an audit row for ${op} (${reason})`);
      assert.equal(row.op, op);
      assert.equal(row.surface, 'http');
      assert.equal(row.errorCode, 'UNAUTHENTICATED');
      assert.equal(row.input.reason, reason);
      assert.match(row.input.ip, /^(127\.0\.0\.1|::1)$/);
    }
    const all = JSON.stringify(await s.op('audit.query', { limit: 1000 }));
    for (const secret of [FAKE.slice(18), expiring.body.token.slice(18), revoked.body.token.slice(18)]) assert.ok(!all.includes(secret), 'no presented secret is stored');

    const access = await s.op('logs.query', { kind: 'access', limit: 1000 });
    assert.equal(access.status, 200, JSON.stringify(access.body));
    const line = access.body.entries.find((e: { requestId: string }) => e.requestId === ids[0]);
    assert.ok(line, 'an access-log row for the refused request');
    assert.equal(line.status, 401);
    assert.equal(line.path, '/api/ops/apps.list');
  });

  it('on the events and logs streams', async () => {
    for (const [path, op] of [['/api/stream/events', 'events.list'], ['/api/stream/logs', 'logs.query']]) {
      const r = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${FAKE}` } });
      assert.equal(r.status, 401);
      await r.text();
      const row = (await refusedRows(s)).find((x) => x.requestId === r.headers.get('x-request-id'));
      assert.ok(row, `a row for ${path}`);
      assert.equal(row.op, op);
      assert.equal(row.input.reason, 'unknown');
    }
  });

  it('on the MCP endpoints, kernel and app', async () => {
    await s.op('apps.create', { name: 'private' });
    const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const before = (await refusedRows(s, { surface: 'mcp' })).length;
    const k = await fetch(`${s.url}/mcp`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${FAKE}` }, body: init });
    assert.equal(k.status, 401);
    const a = await fetch(`${s.url}/mcp/apps/private`, { method: 'POST', headers, body: init });
    assert.equal(a.status, 401);
    const rows = await refusedRows(s, { surface: 'mcp' });
    assert.equal(rows.length, before + 2);
    assert.deepEqual(rows.slice(0, 2).map((r) => [r.op, r.input.reason]), [['mcp.private', 'missing'], ['mcp', 'unknown']]);
  });
});

describe('a flood of bad tokens cannot fill the audit table', () => {
  let s: TestServer;
  before(async () => (s = await startServer({ extra: { 'pulse.interval': '1h' } })));
  after(() => s.close());

  it('writes a bounded number of rows per client and counts the rest in a summary; pulse warns naming the count and source', async () => {
    const N = 300;
    for (let i = 0; i < N; i += 30) {
      await Promise.all(Array.from({ length: 30 }, (_, j) => fetch(`${s.url}/api/ops/apps.list`, { headers: { authorization: `Bearer fzt_0123456789ab_${String(i + j).padStart(43, 'x')}` } }).then((r) => r.text())));
    }
    const rows = await refusedRows(s);
    const detailed = rows.filter((r) => r.op !== 'auth.suppressed');
    const summaries = rows.filter((r) => r.op === 'auth.suppressed');
    // Per client, a fixed number of rows a minute; the flood may straddle one minute boundary.
    assert.ok(detailed.length >= 1 && detailed.length <= 2 * 20, `detailed rows: ${detailed.length}`);
    assert.ok(summaries.length >= 1, 'a summary row');
    const suppressed = summaries.reduce((n, r) => n + r.input.suppressed, 0);
    assert.equal(detailed.length + suppressed, N, 'every refused call is accounted for');
    assert.match(summaries[0].input.ip, /^(127\.0\.0\.1|::1)$/);
    assert.equal(summaries[0].outcome, 'unauthenticated');

    const beat = await s.op('pulse.beat');
    assert.equal(beat.status, 200, JSON.stringify(beat.body));
    const issue = beat.body.issues.find((i: { key: string }) => i.key === 'auth.failed:api');
    assert.ok(issue, JSON.stringify(beat.body.issues.map((i: { key: string }) => i.key)));
    assert.equal(issue.severity, 'warning');
    assert.equal(issue.value, N);
    assert.match(issue.description, new RegExp(`${N} failed authentications`));
    assert.match(issue.description, /(127\.0\.0\.1|::1) \(300\)/);
  });
});
