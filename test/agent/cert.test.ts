import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { agentAudit, agentServer, beat, decisions, ok } from './helpers.js';

const IMPORTED = 'shop.example.test';
const LOCAL = 'blog.example.test';

/** A real certificate and key made by openssl, valid for `days`. */
function opensslCert(domain: string, days: number): { cert: string; privateKey: string } {
  const dir = tempDir();
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir.dir, 'key.pem'), '-out', join(dir.dir, 'cert.pem'), '-days', String(days), '-subj', `/CN=${domain}`, '-addext', `subjectAltName=DNS:${domain}`], { stdio: 'ignore' });
    return { cert: readFileSync(join(dir.dir, 'cert.pem'), 'utf8'), privateKey: readFileSync(join(dir.dir, 'key.pem'), 'utf8') };
  } finally {
    dir.cleanup();
  }
}

describe('certificate expiring: renew when the server can, escalate when it cannot (the real HTTPS module)', () => {
  let s: TestServer;
  before(async () => {
    s = await agentServer();
    await ok(s, 'agent.configure', { personality: 'cautious' });
  });
  after(() => s.close());

  it('an imported certificate fazt cannot renew: the playbook escalates with the renewal error as the reason', async () => {
    await ok(s, 'apps.create', { name: 'shop' });
    await ok(s, 'apps.domains.add', { app: 'shop', domain: IMPORTED });
    await ok(s, 'net.ssl.import', { domain: IMPORTED, ...opensslCert(IMPORTED, 5) });
    await beat(s);
    const [d] = await decisions(s, { kind: 'cert-expiring' });
    assert.equal(d.choice, 'escalate', JSON.stringify(d));
    const halt = s.kernel.halts.get(d.haltId)!;
    assert.equal(halt.op, 'agent.acknowledge');
    assert.match(halt.reason, /shop\.example\.test/);
    assert.match(JSON.stringify(d), /imported|cannot renew/);
    // Nothing but the renewal attempt ran as the agent, and it changed nothing.
    assert.equal((await ok(s, 'net.ssl.status', { domain: IMPORTED })).certificate.source, 'imported');
  });

  it('a certificate fazt issued: it renews alone (even when cautious) through net.ssl.renew, and verifies', async () => {
    await ok(s, 'apps.create', { name: 'blog' });
    await ok(s, 'apps.domains.add', { app: 'blog', domain: LOCAL });
    await ok(s, 'net.ssl.provision', { domain: LOCAL });
    // The scene: the local certificate is made to expire in 5 days, as if it had aged.
    const ssl = s.kernel.services.ssl;
    const short = await ssl.localCa.issue([LOCAL], { days: 5 });
    (ssl as unknown as { store: { saveIssued(d: string, src: string, c: string, k: string, r: string): unknown } }).store.saveIssued(LOCAL, 'local', short.certPem, short.keyPem, new Date(Date.now() + 86_400_000).toISOString());
    const before = (await ok(s, 'net.ssl.status', { domain: LOCAL })).certificate;
    await beat(s);
    const [d] = await decisions(s, { kind: 'cert-expiring', limit: 1 });
    assert.equal(d.choice, 'act', JSON.stringify(d));
    assert.deepEqual(d.action, { op: 'net.ssl.renew', input: { domain: LOCAL } });
    assert.equal(d.outcome, 'done');
    const row = (await agentAudit(s)).find((r) => r.op === 'net.ssl.renew' && r.outcome === 'ok');
    assert.equal(row.surface, 'agent');
    const after = (await ok(s, 'net.ssl.status', { domain: LOCAL })).certificate;
    assert.notEqual(after.serial, before.serial);
    assert.ok(Date.parse(after.notAfter) > Date.parse(before.notAfter) + 300 * 86_400_000);
    await beat(s);
    const [v] = await decisions(s, { kind: 'cert-expiring', limit: 1 });
    assert.match(v.verification, /^ok/);
  });
});
