import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { deploy } from '../runtime/app-client.js';
import { freePort, planPebble, startPebble, type Pebble, type PebblePlan } from './pebble.js';
import { httpsRequest, waitFor } from './tls-client.js';

type Cert = { domain: string; names: string[]; source: string; state: string; issuer?: string };

/**
 * A public server's own names (its --domain, admin. and each app's <slug>.) get
 * certificates from the CA by themselves, as custom domains do: browsers trust them.
 */
describe("the server's own public domain over ACME", () => {
  let plan: PebblePlan;
  let pebble: Pebble;
  let root: string;
  let s: TestServer;
  let wild: TestServer;
  const acme = (p: PebblePlan) => ({
    'ssl.httpsPort': '0',
    'ssl.acmeDirectory': p.directoryUrl,
    'ssl.acmeCa': p.tlsCaFile,
    'ssl.resolver': `127.0.0.1:${p.dnsPort}`,
  });

  before(async () => {
    plan = await planPebble();
    const port = await freePort();
    // Pebble (its DNS answers 127.0.0.1 for every name) runs first: the server asks at once.
    pebble = await startPebble(plan, port);
    root = await pebble.root();
    s = await startServer({ port, domain: 'example.com', extra: acme(plan) });
  });
  after(async () => {
    await s?.close();
    await wild?.close();
    await pebble?.stop();
    plan?.cleanup();
  });

  const certs = async (srv: TestServer) => (await srv.op('net.ssl.list', {})).body.certificates as Cert[];
  const fromCa = (srv: TestServer, domain: string) =>
    waitFor(`a CA certificate for ${domain}`, async () => (await certs(srv)).find((c) => c.domain === domain && c.source === 'acme' && c.state === 'valid'));

  it('at start, the domain and admin. get certificates over HTTP-01, and browsers trusting the CA accept them', async () => {
    const apex = await fromCa(s, 'example.com');
    assert.match(apex.issuer ?? '', /Pebble/i);
    await fromCa(s, 'admin.example.com');
    const port = s.kernel.services.ssl.httpsPort!;
    const landing = await httpsRequest(port, 'example.com', '/', { ca: root });
    assert.equal(landing.status, 200);
    assert.match(landing.cert.subjectaltname ?? '', /DNS:example\.com/);
    const dashboard = await httpsRequest(port, 'admin.example.com', '/', { ca: root });
    assert.ok(dashboard.status < 500, `dashboard answered ${dashboard.status}`);
    assert.match(dashboard.cert.subjectaltname ?? '', /DNS:admin\.example\.com/);
  });

  it("a new app's <slug>. gets its own; deleting the app drops it", async () => {
    assert.equal((await deploy(s, 'blog', { 'index.html': '<h1>the blog</h1>' })).status, 200);
    await fromCa(s, 'blog.example.com');
    const res = await httpsRequest(s.kernel.services.ssl.httpsPort!, 'blog.example.com', '/', { ca: root });
    assert.equal(res.status, 200);
    assert.match(res.body, /the blog/);
    assert.match(res.cert.subjectaltname ?? '', /DNS:blog\.example\.com/);
    const del = await s.op('apps.delete', { id: 'blog' }, { human: true });
    assert.equal(del.status, 200, JSON.stringify(del.body));
    assert.equal((await certs(s)).some((c) => c.domain === 'blog.example.com'), false);
  });

  it('with a DNS-01 solver, one certificate for the domain and *.domain covers every app', async () => {
    wild = await startServer({
      domain: 'example.org',
      extra: { ...acme(plan), 'ssl.dns01': `challtestsrv:http://127.0.0.1:${plan.challPort}` },
    });
    const cert = await fromCa(wild, 'example.org');
    assert.deepEqual([...cert.names].sort(), ['*.example.org', 'example.org']);
    assert.equal((await deploy(wild, 'shop', { 'index.html': '<h1>the shop</h1>' })).status, 200);
    const res = await httpsRequest(wild.kernel.services.ssl.httpsPort!, 'shop.example.org', '/', { ca: root });
    assert.equal(res.status, 200);
    assert.match(res.body, /the shop/);
    assert.match(res.cert.subjectaltname ?? '', /DNS:\*\.example\.org/);
    assert.deepEqual((await certs(wild)).map((c) => c.domain), ['example.org'], 'no certificate of its own for the app');
  });
});
