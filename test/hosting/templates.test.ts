import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchWithHost, runCli, startServer, type TestServer } from '../helpers/server.js';

const TEMPLATES = ['blog', 'landing', 'links', 'portfolio'];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (r: Response): Promise<any> => r.json();

describe('app templates: apps.create {template} deploys a working site as version 1', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('apps.templates lists the four built-in templates', async () => {
    const r = await s.op('apps.templates');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.templates.map((t: { name: string }) => t.name), TEMPLATES);
    for (const t of r.body.templates) {
      assert.ok(t.description.length > 20, t.name);
      assert.ok(t.files >= 3, t.name);
      assert.equal(t.api, t.name === 'blog');
    }
  });

  for (const template of TEMPLATES) {
    it(`${template}: created, live at <slug>.localhost, named, self-contained`, async () => {
      const slug = `t-${template}`;
      const r = await s.op('apps.create', { name: `Ada's ${template} <&>`, slug, template });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.slug, slug);
      assert.equal(r.body.activeVersion, 1);
      const page = await s.get('/', `${slug}.localhost`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      const html = await page.text();
      assert.ok(html.includes('Ada&#39;s ' + template + ' &#60;&#38;&#62;'), 'the name is written in, escaped');
      assert.ok(!html.includes('{{APP_NAME}}'));
      assert.match(html, /<html lang="en">/);
      assert.match(html, /<meta name="viewport"/);
      // No CDN: every stylesheet, script and image comes from the app itself.
      const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('#') && !u.startsWith('mailto:'));
      const assets = refs.filter((u) => !/^https?:/.test(u));
      for (const u of [...html.matchAll(/<(?:script|link|img)[^>]*(?:src|href)="(https?:[^"]+)"/g)]) assert.fail(`external asset ${u[1]}`);
      for (const u of assets.filter((a) => a !== '/' && !a.includes('?'))) {
        const a = await s.get('/' + u.replace(/^\//, ''), `${slug}.localhost`);
        assert.equal(a.status, 200, `${template}: ${u}`);
      }
      // Every image has alt text (empty for decoration).
      for (const img of html.match(/<img[^>]*>/g) ?? []) assert.match(img, /alt="/, img);
      const css = await (await s.get('/style.css', `${slug}.localhost`)).text();
      assert.match(css, /focus-visible/);
      assert.ok(!/@import|url\(http/.test(css));
    });
  }

  it('blog: the API serves posts written through the app tool', async () => {
    const tools = await s.op('apps.tools.list', { app: 't-blog' });
    assert.deepEqual(tools.body.tools.map((t: { name: string }) => t.name).sort(), ['posts.create', 'posts.delete', 'posts.list', 'posts.update']);
    assert.equal(tools.body.tools.find((t: { name: string }) => t.name === 'posts.delete').destructive, true);
    assert.equal(tools.body.tools.find((t: { name: string }) => t.name === 'posts.list').readOnly, true);

    const empty = await s.get('/api/posts', 't-blog.localhost');
    assert.equal(empty.status, 200);
    assert.deepEqual((await json(empty)).posts, []);

    const created = await s.op('apps.tools.call', { app: 't-blog', tool: 'posts_create', args: { title: 'Hello, world', body: 'First paragraph.\n\nSecond one, a bit longer.' } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const id = created.body.result.id;
    assert.equal(created.body.result.url, `/post.html?id=${encodeURIComponent(id)}`);

    const list = await json(await s.get('/api/posts', 't-blog.localhost'));
    assert.equal(list.title, "Ada's blog <&>");
    assert.deepEqual(list.posts.map((p: { title: string; excerpt: string }) => [p.title, p.excerpt]), [['Hello, world', 'First paragraph. Second one, a bit longer.']]);
    const one = await s.get(`/api/posts/${id}`, 't-blog.localhost');
    assert.equal((await json(one)).body, 'First paragraph.\n\nSecond one, a bit longer.');
    assert.equal((await s.get('/post.html', 't-blog.localhost')).status, 200);
    assert.equal((await s.get('/blog.js', 't-blog.localhost')).status, 200);

    const listed = await s.op('apps.tools.call', { app: 't-blog', tool: 'posts.list', args: {} });
    assert.equal(listed.body.result[0].id, id);
  });

  it('blog: visitors cannot write, bad posts are refused, deleting a post waits for a human', async () => {
    const post = await fetchWithHost(s.url, '/api/posts', 't-blog.localhost', { 'content-type': 'application/json' }, 'POST');
    assert.equal(post.status, 405);
    assert.equal((await s.get('/api/posts/nope', 't-blog.localhost')).status, 404);
    const bad = await s.op('apps.tools.call', { app: 't-blog', tool: 'posts.create', args: { title: '  ', body: 'x' } });
    assert.notEqual(bad.status, 200);
    assert.match(JSON.stringify(bad.body), /title is required/);
    const id = (await s.op('apps.tools.call', { app: 't-blog', tool: 'posts.list', args: {} })).body.result[0].id;
    const halted = await s.op('apps.tools.call', { app: 't-blog', tool: 'posts.delete', args: { id } });
    assert.equal(halted.status, 202);
    assert.equal((await json(await s.get('/api/posts', 't-blog.localhost'))).posts.length, 1);
    const gone = await s.op('apps.tools.call', { app: 't-blog', tool: 'posts.delete', args: { id } }, { human: true });
    assert.equal(gone.status, 200, JSON.stringify(gone.body));
    assert.equal((await json(await s.get('/api/posts', 't-blog.localhost'))).posts.length, 0);
  });

  it('an unknown template names the valid ones and creates nothing', async () => {
    const r = await s.op('apps.create', { name: 'Nope', slug: 'nope', template: 'wiki' });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /Unknown template 'wiki'\. Templates: blog, landing, links, portfolio\./);
    assert.equal((await s.op('apps.get', { id: 'nope' })).status, 404);
  });

  it('unknown fields on apps.create are an error, not ignored', async () => {
    const r = await s.op('apps.create', { name: 'Typo', slug: 'typo', templat: 'blog' });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /templat/);
    assert.equal((await s.op('apps.get', { id: 'typo' })).status, 404);
  });

  it('a slug already taken is refused and the existing app is untouched', async () => {
    const r = await s.op('apps.create', { name: 'Again', slug: 't-links', template: 'landing' });
    assert.equal(r.status, 409);
    const page = await (await s.get('/', 't-links.localhost')).text();
    assert.match(page, /Links/);
  });

  it('CLI: fazt apps create NAME --template links, and fazt apps templates --json', async () => {
    const opts = { dataDir: s.dataDir };
    const c = await runCli(['apps', 'create', 'My Links', '--template', 'links'], opts);
    assert.equal(c.code, 0, c.stderr);
    assert.equal((await s.get('/', 'my-links.localhost')).status, 200);
    assert.equal((await runCli(['apps', 'create', 'Journal', '--template', 'blog'], opts)).code, 0);
    const call = await runCli(['apps', 'call', 'journal', 'posts.create', '--args', JSON.stringify({ title: 'From the CLI', body: 'Written in a terminal.' })], opts);
    assert.equal(call.code, 0, call.stderr);
    assert.equal((await json(await s.get('/api/posts', 'journal.localhost'))).posts[0].title, 'From the CLI');
    const t = await runCli(['apps', 'templates', '--json'], opts);
    assert.equal(t.code, 0, t.stderr);
    assert.deepEqual(JSON.parse(t.stdout).templates.map((x: { name: string }) => x.name), TEMPLATES);
  });
});
