import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { bootServer } from '../../src/server/boot.js';
import { fetchWithHost, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { deploy } from '../runtime/app-client.js';
import { httpsRequest, h2Request, waitFor } from './tls-client.js';
import { connect } from '../mcp/client.js';

const run = promisify(execFile);

/** Custom domains, local certificates and bad input: no external CA involved. */
describe('custom domains and local certificates', () => {
  let s: TestServer;
  let port: number;
  let localCa: string;

  before(async () => {
    s = await startServer({ extra: { 'ssl.httpsPort': '0' } });
    port = s.kernel.services.ssl.httpsPort!;
    localCa = readFileSync(join(s.dataDir, 'local-ca.pem'), 'utf8');
    await deploy(s, 'photos', { 'index.html': 'photos page' });
    await deploy(s, 'notes', { 'index.html': 'notes page' });
  });
  after(() => s?.close());

  it('a *.test domain gets a local-CA certificate as soon as it is added, and serves its app over HTTPS and HTTP', async () => {
    const add = await s.op('apps.domains.add', { app: 'photos', domain: 'photos.test' });
    assert.equal(add.status, 200);
    assert.equal(add.body.added, true);
    const cert = await waitFor('the local certificate', async () => {
      const got = await s.op('apps.get', { id: 'photos' });
      const c = got.body.domains.find((d: { domain: string }) => d.domain === 'photos.test')?.certificate;
      return c?.status === 'valid' ? c : undefined;
    });
    assert.equal(cert.source, 'local');
    const r = await httpsRequest(port, 'photos.test', '/', { ca: localCa });
    assert.equal(r.status, 200);
    assert.match(r.body, /photos page/);
    assert.equal(r.cert.serialNumber.toLowerCase(), cert.serial);
    const plain = await fetchWithHost(s.url, '/', 'photos.test');
    assert.match(await plain.text(), /photos page/);
    // Adding it again to the same app is a no-op.
    const again = await s.op('apps.domains.add', { app: 'photos', domain: 'PHOTOS.test.' });
    assert.equal(again.status, 200);
    assert.equal(again.body.added, false);
  });

  it('<slug>.localhost gets its own certificate at the first handshake (no wildcard over one label), over HTTP/1.1 and HTTP/2', async () => {
    const r = await httpsRequest(port, 'notes.localhost', '/', { ca: localCa });
    assert.equal(r.status, 200);
    assert.match(r.body, /notes page/);
    assert.match(r.cert.subjectaltname ?? '', /DNS:notes\.localhost/);
    const h2 = await h2Request(port, 'notes.localhost', '/', localCa);
    assert.equal(h2.alpn, 'h2');
    assert.match(h2.body, /notes page/);
    // A name that reaches no app gets the default certificate and the 404 app, and no certificate is made for it.
    const none = await httpsRequest(port, 'ghost.localhost', '/', { insecure: true });
    assert.equal(none.status, 404);
    assert.doesNotMatch(none.cert.subjectaltname ?? '', /ghost/);
    assert.equal(s.kernel.services.ssl.store.get('ghost.localhost'), undefined);
  });

  it('refuses invalid, foreign-looking and IP domains by name, and writes nothing', async () => {
    const bad = ['https://x.example.com/', 'x.example.com:8443', '127.0.0.1', '[::1]', 'nodot', 'a..b.com', '-a.example.com', 'über.example.com', 'a b.com', '*.example.com', 'x.example.123', 'a'.repeat(64) + '.com'];
    for (const domain of bad) {
      const r = await s.op('apps.domains.add', { app: 'notes', domain });
      assert.equal(r.status, 400, `${domain}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'BAD_INPUT');
      assert.match(r.body.error.message, /is not a domain name/);
    }
    const own = await s.op('apps.domains.add', { app: 'notes', domain: 'x.localhost' });
    assert.equal(own.status, 400);
    assert.match(own.body.error.message, /server's own domain/);
    const unknownField = await s.op('apps.domains.add', { app: 'notes', domain: 'n.test', tls: true });
    assert.equal(unknownField.status, 400);
    const noApp = await s.op('apps.domains.add', { app: 'nope', domain: 'n.test' });
    assert.equal(noApp.status, 404);
    assert.deepEqual((await s.op('apps.domains.list', { app: 'notes' })).body.domains, []);
  });

  it('a domain belongs to one app: adding it to a second is a conflict naming the owner', async () => {
    const r = await s.op('apps.domains.add', { app: 'notes', domain: 'photos.test' });
    assert.equal(r.status, 409);
    assert.match(r.body.error.message, /already belongs to app 'photos'/);
    const all = (await s.op('apps.domains.list')).body.domains;
    assert.deepEqual(all.map((d: { domain: string; app: string }) => [d.domain, d.app]), [['photos.test', 'photos']]);
  });

  it('removing a domain whose certificate is in use is destructive: a model halts, the owner confirms; the cert goes with it', async () => {
    const halted = await s.op('apps.domains.remove', { domain: 'photos.test' });
    assert.equal(halted.status, 202, JSON.stringify(halted.body));
    assert.equal((await s.op('apps.domains.list')).body.domains.length, 1, 'nothing removed while halted');
    const ok = await s.op('apps.domains.remove', { domain: 'photos.test' }, { human: true });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.removed.domain, 'photos.test');
    assert.equal((await s.op('net.ssl.status', { domain: 'photos.test' })).status, 404);
    const after = await fetchWithHost(s.url, '/', 'photos.test');
    assert.equal(after.status, 404);
    // Without a certificate removing is a plain write.
    await s.op('apps.domains.add', { app: 'notes', domain: 'notes.example.org' });
    const plain = await s.op('apps.domains.remove', { domain: 'notes.example.org' });
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    const missing = await s.op('apps.domains.remove', { domain: 'notes.example.org' });
    assert.equal(missing.status, 404);
  });

  it('imports a certificate you bring; a key that does not match, an unreadable PEM or a name it does not cover is refused and nothing is written', async () => {
    const dir = tempDir('fazt-import-');
    try {
      const mk = async (name: string, cn: string) => {
        await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir.dir, `${name}.key`), '-out', join(dir.dir, `${name}.pem`), '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`, '-days', '30']);
        return { cert: readFileSync(join(dir.dir, `${name}.pem`), 'utf8'), key: readFileSync(join(dir.dir, `${name}.key`), 'utf8') };
      };
      const a = await mk('a', 'mine.example.org');
      const b = await mk('b', 'other.example.org');
      const before = (await s.op('net.ssl.list')).body.certificates;
      const mismatch = await s.op('net.ssl.import', { cert: a.cert, privateKey: b.key });
      assert.equal(mismatch.status, 400);
      assert.match(mismatch.body.error.message, /does not match the certificate/);
      const garbage = await s.op('net.ssl.import', { cert: 'not a cert', privateKey: a.key });
      assert.equal(garbage.status, 400);
      assert.match(garbage.body.error.message, /No PEM certificate/);
      const uncovered = await s.op('net.ssl.import', { cert: a.cert, privateKey: a.key, domain: 'else.example.org' });
      assert.equal(uncovered.status, 400);
      assert.match(uncovered.body.error.message, /does not cover/);
      assert.deepEqual((await s.op('net.ssl.list')).body.certificates, before, 'nothing half-written');
      assert.equal(s.kernel.services.secrets.list('ssl.key.mine').length, 0);

      const ok = await s.op('net.ssl.import', { cert: a.cert, privateKey: a.key });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.certificate.domain, 'mine.example.org');
      assert.equal(ok.body.certificate.source, 'imported');
      assert.equal(JSON.stringify(ok.body).includes('PRIVATE KEY'), false);
      s.kernel.audit.flush();
      const keyBody = a.key.split('\n')[2];
      const rows = JSON.stringify(s.kernel.db.prepare("SELECT * FROM audit WHERE op = 'net.ssl.import'").all());
      assert.ok(rows.includes('[redacted]'), 'the key is redacted in the audit trail');
      assert.equal(rows.includes(keyBody), false);
      await s.op('apps.domains.add', { app: 'notes', domain: 'mine.example.org' });
      const served = await httpsRequest(port, 'mine.example.org', '/', { ca: a.cert });
      assert.match(served.body, /notes page/);
      const renew = await s.op('net.ssl.renew', { domain: 'mine.example.org' });
      assert.equal(renew.status, 400);
      assert.match(renew.body.error.message, /imported/);
    } finally {
      dir.cleanup();
    }
  });

  it('provision refuses a wildcard without a DNS-01 solver, and both or neither of domain and app', async () => {
    const wild = await s.op('net.ssl.provision', { domain: '*.example.org' });
    assert.equal(wild.status, 400);
    assert.match(wild.body.error.message, /DNS-01/);
    assert.equal((await s.op('net.ssl.provision', {})).status, 400);
    assert.equal((await s.op('net.ssl.provision', { domain: 'a.test', app: 'notes' })).status, 400);
    assert.equal((await s.op('net.ssl.provision', { domain: '10.0.0.1' })).status, 400);
  });

  it('net.ssl.trust gives the local CA and how to trust it on each system', async () => {
    const r = await s.op('net.ssl.trust');
    assert.equal(r.status, 200);
    assert.equal(r.body.caPem, localCa);
    assert.equal(r.body.caPath, join(s.dataDir, 'local-ca.pem'));
    for (const os of ['linux', 'macos', 'windows']) assert.ok(r.body.instructions[os].includes(r.body.caPath), os);
  });

  it('over MCP, fazt://config shows the HTTPS and ACME settings and fazt://apps/{id} the domains with their certificate state', async () => {
    await s.op('apps.domains.add', { app: 'notes', domain: 'notes.test' });
    await waitFor('the notes.test certificate', async () => (await s.op('net.ssl.status', { domain: 'notes.test' })).body?.certificate?.state === 'valid');
    const client = await connect(`${s.url}/mcp`, { token: s.token });
    try {
      const cfg = JSON.parse(((await client.readResource({ uri: 'fazt://config' })).contents[0] as { text: string }).text);
      assert.equal(cfg.config.tls.httpsPort, port);
      assert.equal(cfg.config.tls.acmeDirectory, 'https://acme-v02.api.letsencrypt.org/directory');
      assert.equal(cfg.config.tls.autoTls, true);
      const app = JSON.parse(((await client.readResource({ uri: 'fazt://apps/notes' })).contents[0] as { text: string }).text);
      const d = app.domains.find((x: { domain: string }) => x.domain === 'notes.test');
      assert.equal(d.certificate.status, 'valid');
      assert.equal(d.certificate.source, 'local');
      assert.ok(d.certificate.notAfter);
    } finally {
      await client.close();
    }
  });

  it('deleting an app releases its domains and drops their certificates', async () => {
    await deploy(s, 'temp', { 'index.html': 'temp' });
    await s.op('apps.domains.add', { app: 'temp', domain: 'temp.test' });
    await waitFor('the temp.test certificate', async () => (await s.op('net.ssl.status', { domain: 'temp.test' })).body?.certificate?.state === 'valid');
    assert.equal((await s.op('apps.delete', { id: 'temp' }, { human: true })).status, 200);
    assert.equal((await s.op('net.ssl.status', { domain: 'temp.test' })).status, 404);
    assert.equal(s.kernel.services.secrets.has('ssl.key.temp.test'), false);
    assert.equal((await s.op('apps.domains.add', { app: 'notes', domain: 'temp.test' })).status, 200, 'the name is free again');
  });
});

describe('HTTPS settings at start', () => {
  it('an unknown ssl.* setting or a malformed value stops the start with the valid names', async () => {
    const dir = tempDir();
    try {
      await assert.rejects(bootServer({ dataDir: dir.dir, port: 0, seedExample: false, extra: { 'ssl.httpPort': '1' } }), /Unknown setting 'ssl.httpPort'.*ssl.httpsPort/);
      await assert.rejects(bootServer({ dataDir: dir.dir, port: 0, seedExample: false, extra: { 'ssl.acmeDirectory': 'http://ca.example/dir' } }), /must use https/);
      await assert.rejects(bootServer({ dataDir: dir.dir, port: 0, seedExample: false, extra: { 'ssl.httpsPort': '70000' } }), /port 0-65535/);
    } finally {
      dir.cleanup();
    }
  });

  it('--http-redirect sends plain HTTP to HTTPS, except ACME challenge paths', async () => {
    const r = await startServer({ extra: { 'ssl.httpsPort': '0', 'ssl.httpRedirect': 'true' } });
    try {
      const p = r.kernel.services.ssl.httpsPort!;
      const red = await fetchWithHost(r.url, '/page?q=1', 'blog.example.org');
      assert.equal(red.status, 308);
      assert.equal(red.headers.get('location'), `https://blog.example.org:${p}/page?q=1`);
      r.kernel.services.ssl.http01.set('tok123', 'tok123.thumb');
      const ch = await fetchWithHost(r.url, '/.well-known/acme-challenge/tok123', 'blog.example.org');
      assert.equal(ch.status, 200);
      assert.equal(await ch.text(), 'tok123.thumb');
      const over = await httpsRequest(p, 'localhost', '/api/health', { ca: readFileSync(join(r.dataDir, 'local-ca.pem'), 'utf8') });
      assert.equal(over.status, 200, 'HTTPS itself is not redirected');
    } finally {
      await r.close();
    }
  });

  it('HTTPS is off by default on a loopback listen address', async () => {
    const r = await startServer();
    try {
      assert.equal(r.kernel.services.ssl.httpsPort, undefined);
      assert.equal((await r.op('net.ssl.list')).body.httpsPort, null);
    } finally {
      await r.close();
    }
  });
});
