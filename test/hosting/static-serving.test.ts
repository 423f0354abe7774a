import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { ObservedRequest } from '../../src/kernel/request-observer.js';
import { fetchWithHost, startServer, type TestServer } from '../helpers/server.js';

/** A GET with the path sent exactly as written (fetch and URL would normalise it). */
function rawGet(base: string, path: string, host: string): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: u.hostname, port: u.port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const bigCss = Array.from({ length: 400 }, (_, i) => `.c${i} { color: #${(i * 2654435761).toString(16).slice(0, 6)}; margin: ${i}px; }`).join('\n');
const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('static serving', () => {
  let s: TestServer;
  const H = 'web.localhost';
  before(async () => {
    s = await startServer();
    const r = await s.op('deploy', {
      app: 'web',
      files: [
        { path: 'index.html', content: '<!doctype html><title>web</title><p>home</p>' },
        { path: 'style.css', content: bigCss },
        { path: 'assets/app.3f2a9c1b.js', content: 'console.log("hashed")' },
        { path: 'img/dot.png', content: png.toString('base64'), encoding: 'base64' },
        { path: 'docs/index.html', content: '<p>docs</p>' },
        { path: 'private/secret.txt', content: 'top secret' },
        { path: 'api/main.js', content: '// SOURCE-MARKER: server code, never sent as a file\n' },
        { path: 'data.json', content: '{"a":1}' },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await s.op('deploy', {
      app: 'spa',
      files: [
        { path: 'index.html', content: '<p>spa shell</p>' },
        { path: 'main.js', content: 'boot()' },
        { path: 'manifest.json', content: '{"name": "spa", "spa": true}' },
      ],
    });
  });
  after(() => s.close());

  it('serves files with the right content type, ETag, Last-Modified and Cache-Control', async () => {
    const html = await s.get('/', H);
    assert.equal(html.status, 200);
    assert.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(html.headers.get('etag')!, /^"[0-9a-f]{32}"$/);
    assert.ok(!Number.isNaN(Date.parse(html.headers.get('last-modified')!)));
    assert.equal(html.headers.get('cache-control'), 'no-cache');
    const css = await s.get('/style.css', H);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(await css.text(), bigCss);
    const js = await s.get('/assets/app.3f2a9c1b.js', H);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const img = await s.get('/img/dot.png', H);
    assert.equal(img.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await img.arrayBuffer()), png);
    assert.equal((await s.get('/data.json', H)).headers.get('content-type'), 'application/json; charset=utf-8');
  });

  it('answers If-None-Match and If-Modified-Since with 304', async () => {
    const first = await s.get('/style.css', H);
    const etag = first.headers.get('etag')!;
    const again = await s.get('/style.css', H, { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), etag);
    assert.equal((await s.get('/style.css', H, { 'if-none-match': `"other", W/${etag}` })).status, 304);
    assert.equal((await s.get('/style.css', H, { 'if-none-match': '"other"' })).status, 200);
    const since = await s.get('/style.css', H, { 'if-modified-since': first.headers.get('last-modified')! });
    assert.equal(since.status, 304);
    assert.equal((await s.get('/style.css', H, { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' })).status, 200);
  });

  it('compresses text with brotli or gzip by Accept-Encoding, not images', async () => {
    const br = await s.get('/style.css', H, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.equal(br.headers.get('vary'), 'accept-encoding');
    const brBody = Buffer.from(await br.arrayBuffer());
    assert.ok(brBody.length < bigCss.length / 2);
    assert.equal(brotliDecompressSync(brBody).toString(), bigCss);
    assert.equal(Number(br.headers.get('content-length')), brBody.length);
    const gz = await s.get('/style.css', H, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), bigCss);
    assert.notEqual(gz.headers.get('etag'), br.headers.get('etag'), 'each encoding has its own strong ETag');
    assert.equal((await s.get('/style.css', H, { 'if-none-match': gz.headers.get('etag')! })).status, 304);
    const noBr = await s.get('/style.css', H, { 'accept-encoding': 'br;q=0, gzip' });
    assert.equal(noBr.headers.get('content-encoding'), 'gzip');
    const img = await s.get('/img/dot.png', H, { 'accept-encoding': 'br' });
    assert.equal(img.headers.get('content-encoding'), null);
    const stored = s.kernel.db.prepare('SELECT COUNT(*) AS n FROM blob_variants WHERE data IS NOT NULL').get() as { n: number };
    assert.equal(stored.n, 2, 'compressed once per encoding and kept');
  });

  it('serves single byte ranges with 206 and refuses impossible ones with 416', async () => {
    const part = await s.get('/style.css', H, { range: 'bytes=10-19' });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 10-19/${bigCss.length}`);
    assert.equal(await part.text(), bigCss.slice(10, 20));
    const tail = await s.get('/style.css', H, { range: 'bytes=-5' });
    assert.equal(await tail.text(), bigCss.slice(-5));
    const open = await s.get('/style.css', H, { range: `bytes=${bigCss.length - 3}-` });
    assert.equal(await open.text(), bigCss.slice(-3));
    const bad = await s.get('/style.css', H, { range: `bytes=${bigCss.length + 10}-` });
    assert.equal(bad.status, 416);
    assert.equal(bad.headers.get('content-range'), `bytes */${bigCss.length}`);
    const multi = await s.get('/style.css', H, { range: 'bytes=0-1,5-6' });
    assert.equal(multi.status, 200, 'several ranges get the whole file');
    const stale = await s.get('/style.css', H, { range: 'bytes=0-1', 'if-range': '"stale"' });
    assert.equal(stale.status, 200);
  });

  it('advertises ranges on binary files and large text, not on small pages, which still answer a Range', async () => {
    await s.op('deploy', {
      app: 'ranges',
      files: [
        { path: 'page.html', content: '<p>small page</p>'.repeat(100) },
        { path: 'big.txt', content: 'line of text\n'.repeat(6000) },
        { path: 'dot.png', content: png.toString('base64'), encoding: 'base64' },
      ],
    });
    const R = 'ranges.localhost';
    assert.equal((await s.get('/dot.png', R)).headers.get('accept-ranges'), 'bytes');
    assert.equal((await s.get('/big.txt', R)).headers.get('accept-ranges'), 'bytes');
    const page = await s.get('/page.html', R);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('accept-ranges'), null);
    const part = await s.get('/page.html', R, { range: 'bytes=3-7' });
    assert.equal(part.status, 206);
    assert.equal(await part.text(), 'small');
  });

  it('a remembered path answers like the first time, with the path as decoded in the logs', async () => {
    await s.op('deploy', { app: 'enc', files: [{ path: 'a b.txt', content: 'spaced' }, { path: 'index.html', content: '<p>enc</p>' }] });
    const E = 'enc.localhost';
    s.kernel.requests.flush();
    const seen: ObservedRequest[] = [];
    const off = s.kernel.requests.add((r) => seen.push(r));
    try {
      for (let i = 0; i < 3; i++) {
        const res = await rawGet(s.url, '/a%20b.txt', E);
        assert.deepEqual([res.status, res.body], [200, 'spaced']);
      }
      const nm = await s.get('/a%20b.txt', E, { 'if-none-match': (await s.get('/a%20b.txt', E)).headers.get('etag')! });
      assert.equal(nm.status, 304);
      s.kernel.requests.flush();
    } finally {
      off();
    }
    assert.deepEqual(seen.filter((r) => r.slug === 'enc').map((r) => [r.path, r.status, r.count]), [['/a b.txt', 200, 4], ['/a b.txt', 304, 1]]);
    assert.equal(s.kernel.services.staticFiles.sites.get('enc')!.resolved.size, 1);
  });

  it('answers HEAD with headers only', async () => {
    const res = await fetchWithHost(s.url, '/style.css', H, {}, 'HEAD');
    assert.equal(res.status, 200);
    assert.equal(Number(res.headers.get('content-length')), bigCss.length);
    assert.equal(res.body, null);
  });

  it('serves index.html for folders and redirects /dir to /dir/', async () => {
    const dir = await s.get('/docs/', H);
    assert.equal(await dir.text(), '<p>docs</p>');
    const redirect = await s.get('/docs?x=1', H);
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/docs/?x=1');
  });

  it('never serves private/ or api/ files', async () => {
    // Twice each: a path resolved once is remembered, and a refused one must stay refused.
    for (const p of ['/private/secret.txt', '//private/secret.txt', '/%70rivate/secret.txt', '/private/../private/secret.txt', '/private/'].flatMap((x) => [x, x])) {
      const res = await rawGet(s.url, p, H);
      assert.equal(res.status, 404, p);
      assert.doesNotMatch(res.body, /top secret/, p);
    }
    // /api/* on an app host belongs to the app runtime; whatever it answers, it is never the source file.
    for (const p of ['/api/main.js', '//api/main.js', '/%61pi/main.js']) {
      const res = await rawGet(s.url, p, H);
      assert.doesNotMatch(res.body, /SOURCE-MARKER/, p);
    }
  });

  it('missing files and unknown hosts get the 404 app page with status 404', async () => {
    const missing = await s.get('/nope.html', H);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /not found/i);
    const unknown = await s.get('/', 'no-such-app.localhost');
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /not found/i);
    const foreign = await s.get('/', 'example.org');
    assert.equal(foreign.status, 404);
  });

  it('the bare host serves root, admin.<domain> the dashboard', async () => {
    const root = await s.get('/');
    assert.equal(root.status, 200);
    assert.match(await root.text(), /fazt is running/);
    const admin = await s.get('/', 'admin.localhost');
    assert.equal(admin.status, 200);
    const text = await admin.text();
    assert.match(text, /<script type="importmap">/);
    assert.match(text, /"preact": "\/vendor\/preact.js"/);
    const vendored = await s.get('/vendor/preact.js', 'admin.localhost');
    assert.equal(vendored.status, 200);
    assert.match(vendored.headers.get('content-type')!, /javascript/);
    const api = await s.get('/api/not-an-endpoint');
    assert.equal(api.status, 404);
    assert.match(api.headers.get('content-type')!, /json/, 'unknown API paths stay JSON on the kernel host');
  });

  it('SPA apps fall back to index.html for page routes, not for missing assets', async () => {
    const route = await s.get('/users/42', 'spa.localhost');
    assert.equal(route.status, 200);
    assert.equal(await route.text(), '<p>spa shell</p>');
    const html = await s.get('/deep/page.html', 'spa.localhost', { accept: 'text/html' });
    assert.equal(html.status, 200);
    const asset = await s.get('/missing.js', 'spa.localhost');
    assert.equal(asset.status, 404);
    assert.equal((await s.get('/main.js', 'spa.localhost')).status, 200);
    assert.equal((await s.get('/users/42', H)).status, 404, 'no fallback without spa: true');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await fetchWithHost(s.url, '/', H, {}, 'DELETE');
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  });

  it('a deploy or rollback is visible on the very next request (cache invalidated)', async () => {
    await s.op('deploy', { app: 'live', files: [{ path: 'index.html', content: 'v1' }] });
    assert.equal(await (await s.get('/', 'live.localhost')).text(), 'v1');
    await s.op('deploy', { app: 'live', files: [{ path: 'index.html', content: 'v2' }] });
    assert.equal(await (await s.get('/', 'live.localhost')).text(), 'v2');
    await s.op('deploy.rollback', { app: 'live' });
    assert.equal(await (await s.get('/', 'live.localhost')).text(), 'v1');
    await s.op('apps.delete', { id: 'live' }, { human: true });
    assert.equal((await s.get('/', 'live.localhost')).status, 404);
    await s.op('deploy', { app: 'live', files: [{ path: 'index.html', content: 'reborn' }] });
    assert.equal(await (await s.get('/', 'live.localhost')).text(), 'reborn');
  });

  it('reports every static request to the request observers: errors one by one, hot hits counted', async () => {
    s.kernel.requests.flush(); // what earlier tests served
    const seen: ObservedRequest[] = [];
    const off = s.kernel.requests.add((r) => seen.push(r));
    try {
      await s.get('/style.css', H);
      await s.get('/style.css', H);
      await s.get('/nope', H);
      const mine = () => seen.filter((r) => r.slug === 'web');
      // The 404 is reported as it happens, with its request id; the two hits wait to be counted.
      assert.deepEqual(mine().map((r) => [r.kind, r.status, r.path, r.count ?? 1]), [['static', 404, '/nope', 1]]);
      assert.ok(mine()[0].requestId);
      s.kernel.requests.flush();
      const hits = mine().filter((r) => r.status === 200);
      assert.deepEqual(hits.map((r) => [r.kind, r.method, r.path, r.count, r.bytes, r.requestId]), [['static', 'GET', '/style.css', 2, bigCss.length, '']]);
      assert.ok(hits[0].appId?.startsWith('app_'));
      assert.ok(hits[0].durationMs >= 0);
      s.kernel.requests.flush();
      assert.equal(mine().length, 2, 'a flush hands over each hit once');
    } finally {
      off();
    }
  });

  it('hands counted hits to observers by itself within a second', async () => {
    s.kernel.requests.flush();
    const seen: ObservedRequest[] = [];
    const off = s.kernel.requests.add((r) => seen.push(r));
    try {
      await s.get('/data.json', H);
      const started = Date.now();
      while (!seen.some((r) => r.path === '/data.json') && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(seen.filter((r) => r.path === '/data.json').map((r) => r.count), [1]);
    } finally {
      off();
    }
  });

  it('counted hits are in the access log and the pulse beat as soon as they are read', async () => {
    const docsHits = async () => {
      const access = await s.op('logs.query', { kind: 'access', app: 'web', limit: 1000 });
      return (access.body.entries as { path: string; hits: number; status: number }[]).filter((e) => e.path === '/docs/' && e.status === 200).reduce((n, e) => n + e.hits, 0);
    };
    const before = await docsHits();
    await s.op('pulse.beat', {});
    for (let i = 0; i < 5; i++) assert.equal((await s.get('/docs/', H)).status, 200);
    const beat = await s.op('pulse.beat', {});
    assert.equal(beat.body.metrics.http.bySlug.web.requests, 5, JSON.stringify(beat.body.metrics.http));
    assert.equal((await docsHits()) - before, 5);
  });
});

describe('static cache bounded in bytes', () => {
  let s: TestServer;
  before(async () => (s = await startServer({ staticCacheBytes: 64 * 1024 })));
  after(() => s.close());

  it('keeps serving correct content while evicting to stay under the bound', async () => {
    const files = Array.from({ length: 12 }, (_, i) => ({ path: `f${i}.txt`, content: String(i).repeat(7000) }));
    await s.op('deploy', { app: 'many', files });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < files.length; i++) assert.equal(await (await s.get(`/f${i}.txt`, 'many.localhost')).text(), files[i].content);
    }
    const cache = s.kernel.services.staticFiles.cache;
    assert.ok(cache.bytes <= 64 * 1024, `cache holds ${cache.bytes} bytes`);
    assert.ok(cache.size > 0 && cache.size < files.length);
  });
});
