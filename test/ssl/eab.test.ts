import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { planPebble, startPebble, type Pebble } from './pebble.js';

/** A CA that requires External Account Binding (Pebble configured so): without it the account is refused, with it the certificate is issued. */
let pebble: Pebble;
let withEab: TestServer;
let without: TestServer;
const hmacKey = randomBytes(32).toString('base64url');

before(async () => {
  const plan = await planPebble();
  const common = { 'ssl.acmeDirectory': plan.directoryUrl, 'ssl.acmeCa': plan.tlsCaFile, 'ssl.autoTls': 'false' };
  withEab = await startServer({ extra: { ...common, 'ssl.acmeEabKid': 'kid-1', 'ssl.acmeEabHmacKey': hmacKey } });
  without = await startServer({ extra: common });
  pebble = await startPebble(plan, withEab.kernel.config.port, { eab: { kid: 'kid-1', hmacKey } });
});
after(async () => {
  await withEab?.close();
  await without?.close();
  await pebble?.stop();
});

it('without EAB the CA refuses the account: SSL_PROVISION_FAILED carries its problem document', async () => {
  const r = await without.op('net.ssl.provision', { domain: 'eab.example.com' });
  assert.equal(r.status, 502, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'SSL_PROVISION_FAILED');
  assert.equal(r.body.error.details.problem.type, 'urn:ietf:params:acme:error:externalAccountRequired');
});

it('with the EAB key id and HMAC key the certificate is issued; the HMAC key is sealed, not shown', async () => {
  const r = await withEab.op('net.ssl.provision', { domain: 'eab.example.com' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.certificates[0].state, 'valid');
  const cfg = await withEab.op('server.config');
  assert.deepEqual(cfg.body.config.tls.externalAccountBinding, { kid: 'kid-1', hmacKeyStored: true });
  assert.equal(JSON.stringify(cfg.body).includes(hmacKey), false);
  assert.equal(withEab.kernel.services.secrets.has('ssl.acme.eab-hmac-key'), true);
});
