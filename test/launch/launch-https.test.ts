import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { useAcmeHome } from './acme-home.js';
import { connect, textOf } from '../mcp/client.js';

const run = promisify(execFile);

/**
 * The seed's conversation on one server: "launch my portfolio at photos.example.com"
 * through a real MCP client. fazt hosts the zone (its own DNS server, which Pebble
 * resolves through), sets the record, creates the app from the template, adds the
 * domain and gets a certificate from Pebble; curl then sees the portfolio over HTTPS.
 */
describe('apps.launch end to end: DNS, template, domain and an ACME certificate', () => {
  const home = useAcmeHome('example.com');

  it('a model launches the portfolio; every step is an audited op call; curl sees it over HTTPS', async () => {
    const { s, rootFile } = home;
    const client = await connect(`${s.url}/mcp`, { token: s.token });
    let launched: { status: string; steps: { key: string; status: string; op: string }[]; next: string };
    try {
      const plan = await client.callTool({ name: 'apps_launch_plan', arguments: { name: 'photos', domain: 'photos.example.com', template: 'portfolio', address: '127.0.0.1' } });
      assert.notEqual(plan.isError, true, textOf(plan));
      const r = await client.callTool({ name: 'apps_launch', arguments: { name: 'photos', domain: 'photos.example.com', template: 'portfolio', address: '127.0.0.1' } });
      assert.notEqual(r.isError, true, textOf(r));
      launched = r.structuredContent as typeof launched;
    } finally {
      await client.close();
    }
    assert.equal(launched.status, 'done', JSON.stringify(launched));
    assert.deepEqual(launched.steps.map((x) => `${x.key}:${x.status}`), ['server:skipped', 'dns:done', 'app:done', 'domain:done', 'certificate:done']);
    const { stdout: dig } = await run('dig', ['@127.0.0.1', '-p', String(s.kernel.config.dnsPort), '+short', 'photos.example.com', 'A']);
    assert.equal(dig.trim(), '127.0.0.1');
    const port = s.kernel.services.ssl.httpsPort!;
    const { stdout } = await run('curl', ['-sS', '--fail', '--cacert', rootFile, '--resolve', `photos.example.com:${port}:127.0.0.1`, `https://photos.example.com:${port}/`]);
    assert.match(stdout, /<html/i);
    assert.match(stdout, /photos/i);
    const status = await s.op('net.ssl.status', { domain: 'photos.example.com' });
    assert.equal(status.body.certificate.source, 'acme');
    s.kernel.audit.flush();
    const audit = JSON.stringify((await s.op('audit.query', { limit: 200 })).body);
    for (const op of ['infra.dns.set', 'apps.create', 'apps.domains.add']) assert.ok(audit.includes(`"${op}"`), `${op} is audited`);
  });
});
