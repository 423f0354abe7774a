import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { planPebble, startPebble, type Pebble } from './pebble.js';
import { httpsRequest } from './tls-client.js';

/**
 * DNS-01 end to end through fazt's own DNS server: Pebble resolves every name by
 * asking fazt (its -dnsserver), and fazt puts the challenge in a zone it hosts.
 */
for (const solver of ['builtin', 'infra']) describe(`a wildcard certificate by DNS-01 through the built-in DNS server (solver ${solver})`, () => {
  let s: TestServer;
  let pebble: Pebble;
  before(async () => {
    const plan = await planPebble();
    s = await startServer({
      dnsPort: 0,
      extra: {
        'ssl.httpsPort': '0',
        'ssl.acmeDirectory': plan.directoryUrl,
        'ssl.acmeCa': plan.tlsCaFile,
        'ssl.dns01': solver,
      },
    });
    const dns = s.kernel.services.dnsServer.listening()!;
    pebble = await startPebble(plan, s.kernel.config.port, { dnsServer: `${dns.host}:${dns.port}` });
    assert.equal((await s.op('dns.zones.create', { zone: 'example.com' })).status, 200);
  });
  after(async () => {
    await s?.close();
    await pebble?.stop();
  });

  it('issues *.wild.example.com with the TXT record set in the hosted zone, then removed', async () => {
    const prov = await s.op('net.ssl.provision', { domain: '*.wild.example.com' });
    assert.equal(prov.status, 200, JSON.stringify(prov.body));
    assert.deepEqual(prov.body.certificates[0].names, ['*.wild.example.com']);
    assert.equal(prov.body.certificates[0].source, 'acme');
    const r = await httpsRequest(s.kernel.services.ssl.httpsPort!, 'any.wild.example.com', '/', { ca: await pebble.root() });
    assert.match(r.cert.subjectaltname ?? '', /DNS:\*\.wild\.example\.com/);
    const left = (await s.op('dns.records.list', { zone: 'example.com' })).body.records.filter((x: { type: string }) => x.type === 'TXT');
    assert.deepEqual(left, [], 'the challenge record is gone');
  });

  it('a name in no hosted zone fails clearly, naming what to do', async () => {
    const r = await s.op('net.ssl.provision', { domain: '*.elsewhere.example.org' });
    assert.equal(r.status, 502, JSON.stringify(r.body));
    assert.match(JSON.stringify(r.body.error), /zone/i);
    assert.match(JSON.stringify(r.body.error), /elsewhere\.example\.org/);
  });
});
