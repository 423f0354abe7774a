import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { connect } from './client.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x01]);

describe('mcp: fazt://apps/{id}/files/{+path}', () => {
  let server: TestServer;
  let id: string;
  before(async () => {
    server = await startServer();
    const d = await server.op('deploy', {
      app: 'pics',
      files: [
        { path: 'index.html', content: '<h1>héllo</h1>' },
        { path: 'img/dot.png', content: PNG.toString('base64'), encoding: 'base64' },
        { path: 'private/secret.txt', content: 'not for models' },
      ],
    });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    id = d.body.app.id;
  });
  after(() => server.close());

  it('is listed among the resource templates', async () => {
    const client = await connect(`${server.url}/mcp`, { token: server.token });
    try {
      const { resourceTemplates } = await client.listResourceTemplates();
      assert.ok(resourceTemplates.some((t) => t.uriTemplate === 'fazt://apps/{id}/files/{+path}'), JSON.stringify(resourceTemplates));
    } finally {
      await client.close();
    }
  });

  it('reads a file of the live version: text as text, binary as blob, by id or slug', async () => {
    const client = await connect(`${server.url}/mcp`, { token: server.token });
    try {
      const page = await client.readResource({ uri: `fazt://apps/${id}/files/index.html` });
      assert.equal(page.contents[0].uri, `fazt://apps/${id}/files/index.html`);
      assert.equal((page.contents[0] as { text: string }).text, '<h1>héllo</h1>');
      assert.match(String(page.contents[0].mimeType), /^text\/html/);
      const img = await client.readResource({ uri: 'fazt://apps/pics/files/img/dot.png' });
      assert.equal((img.contents[0] as { blob: string }).blob, PNG.toString('base64'));
      assert.equal(img.contents[0].mimeType, 'image/png');
      assert.equal('text' in img.contents[0], false);
    } finally {
      await client.close();
    }
  });

  it('refuses path traversal, private files and missing files with clear errors', async () => {
    const client = await connect(`${server.url}/mcp`, { token: server.token });
    try {
      for (const [path, re] of [
        ['..%2F..%2Fdata.db', /'\.\.' segments are not allowed/],
        ['img/../../x', /'\.\.' segments are not allowed/],
        ['private/secret.txt', /private\/\*\* is never served/],
        ['nope.txt', /NOT_FOUND.*nope\.txt/],
      ] as const) {
        await assert.rejects(client.readResource({ uri: `fazt://apps/${id}/files/${path}` }), (err: Error) => {
          assert.match(err.message, re, path);
          return true;
        });
      }
    } finally {
      await client.close();
    }
  });

  it('needs read access to that app', async () => {
    const other = (await server.op('apps.create', { name: 'other' })).body.id as string;
    const { token } = server.kernel.tokens.create('other-reader', 'token', [`app:${other}:read`], null);
    const client = await connect(`${server.url}/mcp`, { token });
    try {
      await assert.rejects(client.readResource({ uri: `fazt://apps/${id}/files/index.html` }), /FORBIDDEN/);
    } finally {
      await client.close();
    }
  });
});
