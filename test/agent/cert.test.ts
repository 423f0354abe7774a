import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { defineOp } from '../../src/kernel/ops/define.js';
import type { TestServer } from '../helpers/server.js';
import { agentAudit, agentServer, beat, decisions, ok } from './helpers.js';

const DOMAIN = 'shop.example.test';

/** A real certificate file made by openssl, valid for `days`. */
function issue(dir: string, days: number): void {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', String(days), '-subj', `/CN=${DOMAIN}`], { stdio: 'ignore' });
}

describe('certificate expiring: renew when the server can, escalate when it cannot', () => {
  let s: TestServer;
  let certDir: string;
  before(async () => {
    s = await agentServer();
    certDir = s.dataDir;
    issue(certDir, 5);
    // As a TLS module reports its certificates to pulse: read from the file on disk.
    s.kernel.services.pulse.certProviders.push(() => [{ domain: DOMAIN, expiresAt: new Date(new X509Certificate(readFileSync(join(certDir, 'cert.pem'))).validTo).toISOString() }]);
    await ok(s, 'agent.configure', { personality: 'cautious' });
  });
  after(() => s.close());

  it('without net.ssl.renew on this server the playbook escalates with the reason', async () => {
    assert.equal(s.kernel.registry.get('net.ssl.renew'), undefined);
    await beat(s);
    const [d] = await decisions(s, { kind: 'cert-expiring' });
    assert.equal(d.choice, 'escalate');
    assert.match(d.why, /net\.ssl\.renew is not available/);
    const halt = s.kernel.halts.get(d.haltId)!;
    assert.equal(halt.op, 'agent.acknowledge');
    assert.match(halt.reason, /Certificate for shop\.example\.test expires in \d+ days, and I cannot renew it: net\.ssl\.renew is not available/);
    issue(certDir, 90);
    await beat(s);
    assert.equal(s.kernel.services.agent.incidents.get(`cert.expiry:${DOMAIN}`), undefined);
  });

  it('with net.ssl.renew registered it renews alone (even when cautious) and verifies', async () => {
    // Stands in for the HTTPS module's renewal op: re-issues the certificate file with openssl.
    s.kernel.registry.add(defineOp({
      name: 'net.ssl.renew', title: 'Renew certificate', description: 'Renews the certificate of a domain.',
      input: z.object({ domain: z.string() }), output: z.object({ domain: z.string(), expiresAt: z.string() }),
      requires: 'kernel:net:ssl:write', risk: 'write',
      handler: (_ctx, input) => {
        issue(certDir, 90);
        return { domain: input.domain, expiresAt: new X509Certificate(readFileSync(join(certDir, 'cert.pem'))).validTo };
      },
    }));
    issue(certDir, 5);
    await beat(s);
    const [d] = await decisions(s, { kind: 'cert-expiring', limit: 1 });
    assert.equal(d.choice, 'act');
    assert.deepEqual(d.action, { op: 'net.ssl.renew', input: { domain: DOMAIN } });
    assert.equal(d.outcome, 'done');
    const row = (await agentAudit(s)).find((r) => r.op === 'net.ssl.renew');
    assert.equal(row.surface, 'agent');
    assert.equal(row.outcome, 'ok');
    await beat(s);
    const [v] = await decisions(s, { kind: 'cert-expiring', limit: 1 });
    assert.match(v.verification, /^ok/);
  });
});
