import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BuiltinDns } from '../../src/infra/dns/types.js';
import { startServer } from '../helpers/server.js';

const run = promisify(execFile);

async function dig(port: number, name: string, type: string): Promise<string> {
  const { stdout } = await run('dig', [`@127.0.0.1`, '-p', String(port), '+short', '+time=2', '+tries=1', name, type]);
  return stdout.trim();
}

test('builtin DNS provider: without the DNS server it says how to start it', async () => {
  const s = await startServer();
  try {
    const r = await s.op('infra.dns.zones', { provider: 'builtin' });
    assert.equal(r.body.error.code, 'INFRA_NOT_CONFIGURED');
    assert.match(r.body.error.message, /--dns-port/);
    const list = await s.op('infra.providers.list', {});
    assert.equal(list.body.providers.find((p: any) => p.provider === 'builtin').configured, false);
  } finally {
    await s.close();
  }
});

test('builtin DNS provider: records set through infra ops are served by fazt\'s own DNS server (dig)', async () => {
  const s = await startServer({ dnsPort: 0 });
  try {
    const dns: BuiltinDns = s.kernel.services.dnsServer;
    const at = dns.listening();
    assert.ok(at, 'the DNS server listens');
    dns.createZone('example.test');
    const set = await s.op('infra.dns.set', { zone: 'example.test', name: 'photos', type: 'A', value: '127.0.0.1', provider: 'builtin' });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    await s.op('infra.dns.set', { zone: 'example.test', name: '@', type: 'MX', value: 'mail.example.test', priority: 10 });
    assert.equal(await dig(at.port, 'photos.example.test', 'A'), '127.0.0.1');
    assert.equal(await dig(at.port, 'example.test', 'MX'), '10 mail.example.test.');
    const again = await s.op('infra.dns.set', { zone: 'example.test', name: 'photos', type: 'A', value: '127.0.0.2' });
    assert.equal(again.body.provider, 'builtin');
    assert.equal(await dig(at.port, 'photos.example.test', 'A'), '127.0.0.2');

    const infra = s.kernel.services.infra;
    await infra.setTxt('_acme-challenge.photos.example.test', 'one');
    await infra.setTxt('_acme-challenge.photos.example.test', 'two');
    assert.deepEqual((await dig(at.port, '_acme-challenge.photos.example.test', 'TXT')).split('\n').sort(), ['"one"', '"two"']);
    assert.equal(await infra.removeTxt('_acme-challenge.photos.example.test', 'one'), 1);
    assert.equal(await dig(at.port, '_acme-challenge.photos.example.test', 'TXT'), '"two"');

    const recs = await s.op('infra.dns.records', { zone: 'example.test' });
    assert.ok(recs.body.records.some((r: any) => r.name === 'photos' && r.type === 'A' && r.value === '127.0.0.2'));
    const del = await s.op('infra.dns.delete', { zone: 'example.test', name: 'photos', type: 'A' }, { human: true });
    assert.equal(del.body.deleted, 1);
    assert.equal(await dig(at.port, 'photos.example.test', 'A'), '');
  } finally {
    await s.close();
  }
});
