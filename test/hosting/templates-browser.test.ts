import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server.js';

const TEMPLATES = ['blog', 'landing', 'links', 'portfolio'];

describe('app templates in headless Chromium', () => {
  let s: TestServer;
  let browser: Browser;
  let port: string;
  before(async () => {
    s = await startServer();
    port = new URL(s.url).port;
    for (const t of TEMPLATES) assert.equal((await s.op('apps.create', { name: 'Grace Hopper', slug: `b-${t}`, template: t })).status, 200);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--host-resolver-rules=MAP *.localhost 127.0.0.1'],
    });
  });
  after(async () => {
    await browser?.close();
    await s.close();
  });

  for (const t of TEMPLATES) {
    it(`${t}: renders with no failed request, one h1, alt text and named links`, async () => {
      const page = await browser.newPage();
      const failed: string[] = [];
      const external: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
      page.on('request', (r) => !r.url().startsWith(`http://b-${t}.localhost:${port}/`) && external.push(r.url()));
      await page.goto(`http://b-${t}.localhost:${port}/`, { waitUntil: 'networkidle' });
      assert.deepEqual(failed, []);
      assert.deepEqual(external, [], 'everything comes from the app itself');
      // A string, evaluated in the page: the DOM types are not part of this build.
      const facts = (await page.evaluate(`(() => ({
        h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
        imgsWithoutAlt: [...document.querySelectorAll('img')].filter((i) => !i.hasAttribute('alt')).length,
        brokenImages: [...document.querySelectorAll('img')].filter((i) => !i.complete || i.naturalWidth === 0).length,
        unnamedLinks: [...document.querySelectorAll('a')].filter((a) => !a.textContent.trim()).length,
        lang: document.documentElement.lang,
        text: document.body.innerText,
      }))()`)) as { h1: string[]; imgsWithoutAlt: number; brokenImages: number; unnamedLinks: number; lang: string; text: string };
      assert.equal(facts.h1.length, 1, 'one h1');
      // The landing page leads with its headline; the others with the name.
      if (t !== 'landing') assert.equal(facts.h1[0], 'Grace Hopper');
      assert.match(facts.text, /Grace Hopper/);
      assert.equal(facts.imgsWithoutAlt, 0);
      assert.equal(facts.brokenImages, 0);
      assert.equal(facts.unnamedLinks, 0);
      assert.equal(facts.lang, 'en');
      await page.close();
    });
  }

  it('blog: a post written through the tool shows on the front page and opens on its own page', async () => {
    const r = await s.op('apps.tools.call', { app: 'b-blog', tool: 'posts.create', args: { title: 'Bugs <b>and</b> moths', body: 'First.\n\nSecond.' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const page = await browser.newPage();
    await page.goto(`http://b-blog.localhost:${port}/`);
    const link = page.getByRole('link', { name: 'Bugs <b>and</b> moths' });
    await link.waitFor();
    await link.click();
    await page.waitForURL(/post\.html\?id=/);
    await page.getByRole('heading', { level: 1, name: 'Bugs <b>and</b> moths' }).waitFor();
    assert.deepEqual(await page.locator('article p').allTextContents(), ['First.', 'Second.']);
    assert.match(await page.title(), /^Bugs <b>and<\/b> moths — Grace Hopper$/);
    await page.close();
  });
});
