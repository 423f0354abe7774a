import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { deploy } from '../runtime/app-client.js';
import { planPebble, startPebble, type Pebble } from './pebble.js';
import { httpsRequest, waitFor } from './tls-client.js';

/** Pebble issues 30-second certificates here, so the scheduler's 2/3-of-lifetime renewal comes round during the test. */
let s: TestServer;
let pebble: Pebble;
let root: string;
const renewed: { domain: string; serial: string }[] = [];

before(async () => {
  const plan = await planPebble();
  s = await startServer({
    extra: { 'ssl.httpsPort': '0', 'ssl.acmeDirectory': plan.directoryUrl, 'ssl.acmeCa': plan.tlsCaFile, 'ssl.resolver': `127.0.0.1:${plan.dnsPort}` },
  });
  s.kernel.events.on('system.ssl.renewed', (e) => renewed.push(e.data as { domain: string; serial: string }));
  pebble = await startPebble(plan, s.kernel.config.port, { validitySeconds: 30 });
  root = await pebble.root();
  await deploy(s, 'shop', { 'index.html': 'shop front' });
});
after(async () => {
  await s?.close();
  await pebble?.stop();
});

it('renews at two thirds of the lifetime and the listener serves the new serial without a restart', async () => {
  assert.equal((await s.op('apps.domains.add', { app: 'shop', domain: 'shop.example.com' })).status, 200);
  const first = await waitFor('the first certificate', async () => {
    const st = await s.op('net.ssl.status', { domain: 'shop.example.com' });
    return st.status === 200 && st.body.certificate.state === 'valid' ? st.body.certificate : undefined;
  });
  const nb = Date.parse(first.notBefore);
  const life = Date.parse(first.notAfter) - nb;
  const renewAt = Date.parse(first.renewAt);
  assert.ok(renewAt <= nb + (life * 2) / 3 + 1 && renewAt >= nb + (life * 2) / 3 - life / 30 - 1, 'renewal planned at 2/3 of the lifetime, minus jitter');
  const port = s.kernel.services.ssl.httpsPort!;
  const served = await httpsRequest(port, 'shop.example.com', '/', { ca: root });
  assert.equal(served.cert.serialNumber.toLowerCase(), first.serial);
  assert.match(served.body, /shop front/);

  const next = await waitFor('the scheduler to renew', () => renewed.find((r) => r.domain === 'shop.example.com' && r.serial !== first.serial), 120_000);
  const again = await httpsRequest(port, 'shop.example.com', '/', { ca: root });
  assert.equal(again.cert.serialNumber.toLowerCase(), next.serial, 'the new certificate serves on the same listener');
  assert.notEqual(again.cert.serialNumber.toLowerCase(), first.serial);
  assert.match(again.body, /shop front/);
  const st = await s.op('net.ssl.status', { domain: 'shop.example.com' });
  assert.equal(st.body.certificate.state, 'valid');
  assert.ok(Date.parse(st.body.certificate.renewAt) > renewAt);
});
