import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { atTerminal } from '../helpers/terminal.js';
import { waitFor } from '../ssl/tls-client.js';

/**
 * The owner at a terminal is asked about a call whose risk depends on its input (a
 * domain whose certificate is serving), rather than getting a halt; --yes is a flag
 * only of commands that ask.
 */
describe('CLI confirmation where the risk depends on the input', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ extra: { 'ssl.httpsPort': '0' } });
    assert.equal((await s.op('apps.create', { name: 'shop' })).status, 200);
  });
  after(() => s.close());

  const serving = async (domain: string) => {
    assert.equal((await s.op('apps.domains.add', { app: 'shop', domain })).status, 200);
    await waitFor(`a certificate for ${domain}`, () => s.kernel.services.ssl.inUse(domain));
  };
  const domains = async () => ((await s.op('apps.domains.list', { app: 'shop' })).body.domains as { domain: string }[]).map((d) => d.domain);

  it('removing a domain whose certificate serves asks at the terminal; a no keeps it, a yes removes it with no halt', async () => {
    await serving('shop.example.test');
    const no = await atTerminal(['apps', 'domains', 'remove', 'shop.example.test', '--data', s.dataDir], /Continue\? \[y\/N\]/, 'n');
    assert.ok(no.asked, no.out);
    assert.match(no.out, /This is destructive/);
    assert.equal(no.code, 5);
    assert.deepEqual(await domains(), ['shop.example.test']);
    const yes = await atTerminal(['apps', 'domains', 'remove', 'shop.example.test', '--data', s.dataDir], /Continue\? \[y\/N\]/, 'y');
    assert.ok(yes.asked, yes.out);
    assert.equal(yes.code, 0, yes.out);
    assert.deepEqual(await domains(), []);
    const halts = (await s.op('halt.list', { status: 'all' }, { human: true })).body.halts as unknown[];
    assert.equal(halts.length, 0, 'nothing was left as a halt');
  });

  it('a call of that op that is only a write is not asked about', async () => {
    await serving('quiet.example.test');
    const revoked = await s.op('net.ssl.revoke', { domain: 'quiet.example.test' }, { human: true });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.equal(s.kernel.services.ssl.inUse('quiet.example.test'), false);
    const r = await atTerminal(['apps', 'domains', 'remove', 'quiet.example.test', '--data', s.dataDir], /Continue\? \[y\/N\]/, 'y');
    assert.equal(r.asked, false, r.out);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(await domains(), []);
  });

  it('--yes is refused by commands that never ask, and runs those that may', async () => {
    const list = await runCli(['apps', 'list', '--yes'], { dataDir: s.dataDir });
    assert.equal(list.code, 2);
    assert.match(list.stderr, /Unknown flag --yes for 'fazt apps list'/);
    await serving('yes.example.test');
    const piped = await runCli(['apps', 'domains', 'remove', 'yes.example.test', '--yes', '--json'], { dataDir: s.dataDir });
    assert.equal(piped.code, 0, piped.stderr);
    assert.deepEqual(await domains(), []);
  });
});
