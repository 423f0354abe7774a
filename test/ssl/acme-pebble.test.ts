import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startServer, type TestServer } from '../helpers/server.js';
import { deploy } from '../runtime/app-client.js';
import { certsCollector } from '../../src/pulse/collectors/certs.js';
import { planPebble, startPebble, type Pebble } from './pebble.js';
import { httpsRequest, h2Request, waitFor } from './tls-client.js';

/**
 * Real ACME against Pebble (Let's Encrypt's test CA) on loopback: HTTP-01 answered by
 * fazt's own HTTP server, DNS-01 through pebble-challtestsrv, names resolved by it.
 */
describe('HTTPS with certificates from Pebble', () => {
  let s: TestServer;
  let pebble: Pebble;
  let root: string;
  let port: number;
  const events: { type: string; data: any }[] = [];

  before(async () => {
    const plan = await planPebble();
    s = await startServer({
      extra: {
        'ssl.httpsPort': '0',
        'ssl.acmeDirectory': plan.directoryUrl,
        'ssl.acmeCa': plan.tlsCaFile,
        'ssl.acmeEmail': 'owner@example.com',
        'ssl.resolver': `127.0.0.1:${plan.dnsPort}`,
        'ssl.dns01': `challtestsrv:http://127.0.0.1:${plan.challPort}`,
      },
    });
    s.kernel.events.on('system.ssl.*', (e) => events.push({ type: e.type, data: e.data }));
    pebble = await startPebble(plan, s.kernel.config.port);
    root = await pebble.root();
    port = s.kernel.services.ssl.httpsPort!;
    assert.equal((await deploy(s, 'photos', { 'index.html': '<h1>photos home</h1>', 'api/main.js': 'export default (r) => ({ body: { app: "photos", n: String(r.body ?? "").length } })', 'manifest.json': '{"limits": {"maxBodyBytes": 2048}}' })).status, 200);
    assert.equal((await deploy(s, 'blog', { 'index.html': '<h1>blog home</h1>' })).status, 200);
  });
  after(async () => {
    await s?.close();
    await pebble?.stop();
  });

  it('provisions a custom domain automatically by HTTP-01 once its DNS points here, and serves the app over HTTPS with that certificate', async () => {
    const add = await s.op('apps.domains.add', { app: 'photos', domain: 'Photos.Example.com' });
    assert.equal(add.status, 200, JSON.stringify(add.body));
    assert.equal(add.body.domain.domain, 'photos.example.com');
    const cert = await waitFor('the certificate', async () => {
      const got = await s.op('apps.get', { id: 'photos' });
      const c = got.body.domains?.[0]?.certificate;
      return c?.status === 'valid' ? c : undefined;
    });
    assert.equal(cert.source, 'acme');
    assert.match(cert.issuer, /Pebble/i);
    const res = await httpsRequest(port, 'photos.example.com', '/', { ca: root });
    assert.equal(res.status, 200);
    assert.match(res.body, /photos home/);
    assert.equal(res.cert.serialNumber.toLowerCase(), cert.serial);
    assert.match(res.cert.subjectaltname ?? '', /DNS:photos\.example\.com/);
    const renewed = events.find((e) => e.type === 'system.ssl.renewed' && e.data.domain === 'photos.example.com');
    assert.ok(renewed, 'system.ssl.renewed was emitted');
    assert.equal(JSON.stringify(events).includes('PRIVATE KEY'), false, 'no key material in events');
    // The key is sealed in the secrets store: the database holds no plaintext key.
    const raw = readFileSync(`${s.dataDir}/data.db`);
    assert.equal(raw.includes(Buffer.from('PRIVATE KEY')), false);
  });

  it('the same answers over HTTP/2 (ALPN) and with curl --resolve', async () => {
    const r = await h2Request(port, 'photos.example.com', '/', root);
    assert.equal(r.alpn, 'h2');
    assert.equal(r.status, 200);
    assert.match(r.body, /photos home/);
    const { execFile } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const rootFile = `${s.dataDir}/pebble-root.pem`;
    writeFileSync(rootFile, root);
    const out = await new Promise<string>((resolve, reject) =>
      execFile('curl', ['-sS', '--cacert', rootFile, '--resolve', `photos.example.com:${port}:127.0.0.1`, `https://photos.example.com:${port}/`], (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout))),
    );
    assert.match(out, /photos home/);
  });

  it('routes the API, body limits and the MCP endpoint on the custom domain over HTTPS exactly as over HTTP', async () => {
    const api = await httpsRequest(port, 'photos.example.com', '/api/x', { ca: root, method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
    assert.equal(api.status, 200);
    assert.deepEqual(JSON.parse(api.body), { app: 'photos', n: 5 });
    const big = 'x'.repeat(4096);
    const overHttps = await httpsRequest(port, 'photos.example.com', '/api/x', { ca: root, method: 'POST', body: big, headers: { 'content-type': 'text/plain' } });
    const { fetchWithHost } = await import('../helpers/server.js');
    const { request } = await import('node:http');
    const overHttp = await new Promise<number>((resolve, reject) => {
      const u = new URL(s.url);
      const req = request({ host: u.hostname, port: u.port, path: '/api/x', method: 'POST', headers: { host: 'photos.example.com', 'content-type': 'text/plain' } }, (res) => (res.resume(), resolve(res.statusCode!)));
      req.on('error', reject);
      req.end(big);
    });
    assert.equal(overHttps.status, 413);
    assert.equal(overHttp, 413);
    const httpPage = await fetchWithHost(s.url, '/', 'photos.example.com');
    assert.match(await httpPage.text(), /photos home/);

    const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    const mcp = await httpsRequest(port, 'photos.example.com', '/mcp', {
      ca: root, method: 'POST', body: init,
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    });
    assert.equal(mcp.status, 200, mcp.body);
    assert.match(mcp.body, /"serverInfo"/);
    assert.match(mcp.body, /photos/);
  });

  it('serves two apps on two domains from one port, each with its own certificate; an unknown name gets the default certificate and the 404 app', async () => {
    assert.equal((await s.op('apps.domains.add', { app: 'blog', domain: 'blog.example.com' })).status, 200);
    const prov = await s.op('net.ssl.provision', { app: 'blog' });
    assert.equal(prov.status, 200, JSON.stringify(prov.body));
    assert.equal(prov.body.certificates[0].domain, 'blog.example.com');
    const blog = await httpsRequest(port, 'blog.example.com', '/', { ca: root });
    const photos = await httpsRequest(port, 'photos.example.com', '/', { ca: root });
    assert.match(blog.body, /blog home/);
    assert.match(blog.cert.subjectaltname ?? '', /DNS:blog\.example\.com/);
    assert.doesNotMatch(blog.cert.subjectaltname ?? '', /photos/);
    assert.notEqual(blog.cert.serialNumber, photos.cert.serialNumber);

    const unknown = await httpsRequest(port, 'nobody.example.net', '/', { insecure: true });
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.cert.issuer.CN ?? ''), /fazt local CA/);
    const localCa = readFileSync(`${s.dataDir}/local-ca.pem`, 'utf8');
    assert.ok(new X509Certificate(unknown.cert.raw).checkIssued(new X509Certificate(localCa)));
  });

  it('issues a wildcard certificate by DNS-01 through the DNS solver', async () => {
    const prov = await s.op('net.ssl.provision', { domain: '*.wild.example.com' });
    assert.equal(prov.status, 200, JSON.stringify(prov.body));
    assert.deepEqual(prov.body.certificates[0].names, ['*.wild.example.com']);
    const r = await httpsRequest(port, 'any.wild.example.com', '/', { ca: root });
    assert.equal(r.status, 404, 'no app there: the 404 app answers, over a trusted certificate');
    assert.match(r.cert.subjectaltname ?? '', /DNS:\*\.wild\.example\.com/);
    const st = await s.op('net.ssl.status', { domain: 'x.wild.example.com' });
    assert.equal(st.body.certificate.domain, '*.wild.example.com');
  });

  it('a failing challenge is SSL_PROVISION_FAILED with the CA problem document, recorded with its retry time', async () => {
    await pebble.addA('elsewhere.example.com', '127.0.0.2'); // nothing of ours listens there
    const before = Date.now();
    const r = await s.op('net.ssl.provision', { domain: 'elsewhere.example.com' });
    assert.equal(r.status, 502, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'SSL_PROVISION_FAILED');
    const problem = r.body.error.details.problem;
    assert.match(problem.type, /^urn:ietf:params:acme:error:(connection|unauthorized|dns)/);
    assert.match(problem.detail, /127\.0\.0\.2|elsewhere/);
    const next = Date.parse(r.body.error.details.nextAttemptAt);
    assert.ok(next - before >= 3600_000 - 5_000 && next - Date.now() <= 3600_000 + 5_000, 'first retry in 1 h');
    const st = await s.op('net.ssl.status', { domain: 'elsewhere.example.com' });
    assert.equal(st.body.certificate.state, 'failed');
    assert.equal(st.body.certificate.failures, 1);
    assert.deepEqual(st.body.certificate.problem, problem);
    const failed = events.find((e) => e.type === 'system.ssl.failed' && e.data.domain === 'elsewhere.example.com');
    assert.ok(failed);
    assert.deepEqual(failed.data.problem, problem);
    // A second failure doubles the wait.
    const again = await s.op('net.ssl.renew', { domain: 'elsewhere.example.com' });
    assert.equal(again.body.error.details.failures, 2);
    const wait = Date.parse(again.body.error.details.nextAttemptAt) - Date.now();
    assert.ok(wait > 2 * 3600_000 - 10_000 && wait <= 2 * 3600_000 + 5_000, `second retry in 2 h, got ${wait}`);
  });

  it('autoTls waits for DNS: a domain that does not point here yet is not sent to the CA, and is retried later', async () => {
    await pebble.addA('later.example.com', '127.0.0.2');
    assert.equal((await s.op('apps.domains.add', { app: 'blog', domain: 'later.example.com' })).status, 200);
    const st = await waitFor('the DNS check', async () => {
      const r = await s.op('net.ssl.status', { domain: 'later.example.com' });
      return r.status === 200 && r.body.certificate.state === 'failed' ? r.body.certificate : undefined;
    });
    assert.match(st.lastError, /does not point at this server yet/);
    assert.equal(st.problem, undefined, 'the CA was not asked');
    assert.ok(Date.parse(st.nextAttemptAt) > Date.now() + 3500_000);
    const app = await s.op('apps.get', { id: 'blog' });
    assert.equal(app.body.domains.find((d: { domain: string }) => d.domain === 'later.example.com').certificate.status, 'failed');
  });

  it('pulse reports the certificates with their days left', async () => {
    const certs = await certsCollector.collect({ kernel: s.kernel, now: Date.now() } as never);
    const domains = (certs as { certs: { domain: string; daysLeft: number }[] }).certs.map((c) => c.domain);
    assert.ok(domains.includes('photos.example.com') && domains.includes('blog.example.com'));
  });

  it('revoking is destructive: a model halts, the owner at the keyboard revokes, the default certificate answers after', async () => {
    const halted = await s.op('net.ssl.revoke', { domain: 'blog.example.com' });
    assert.equal(halted.status, 202, JSON.stringify(halted.body));
    assert.equal((await s.op('net.ssl.status', { domain: 'blog.example.com' })).body.certificate.state, 'valid');
    const r = await s.op('net.ssl.revoke', { domain: 'blog.example.com' }, { human: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.certificate.state, 'revoked');
    const after = await httpsRequest(port, 'blog.example.com', '/', { insecure: true });
    assert.match(String(after.cert.issuer.CN ?? ''), /fazt local CA/);
    assert.match(after.body, /blog home/, 'the app still answers');
  });

  it('with the CA down a renewal fails clearly and the old certificate keeps serving', async () => {
    const before = await httpsRequest(port, 'photos.example.com', '/', { ca: root });
    await pebble.stopCa();
    const r = await s.op('net.ssl.renew', { domain: 'photos.example.com' });
    assert.equal(r.status, 502);
    assert.equal(r.body.error.code, 'SSL_PROVISION_FAILED');
    assert.match(r.body.error.message, /could not be reached|ECONNREFUSED/);
    assert.match(r.body.error.message, /keeps serving/);
    const afterFail = await httpsRequest(port, 'photos.example.com', '/', { ca: root });
    assert.equal(afterFail.cert.serialNumber, before.cert.serialNumber);
    assert.match(afterFail.body, /photos home/);
    const st = await s.op('net.ssl.status', { domain: 'photos.example.com' });
    assert.equal(st.body.certificate.state, 'failed');
    assert.ok(st.body.certificate.nextAttemptAt);
  });
});
