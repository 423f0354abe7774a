import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { connect, textOf } from '../mcp/client.js';

let s: TestServer;
before(async () => (s = await startServer()));
after(() => s.close());

test('HTTP: an unknown input field is refused, naming the valid fields', async () => {
  const r = await s.op('apps.create', { name: 'Shop', domain: 'shop.example' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'BAD_INPUT');
  assert.equal(r.body.error.message, "Unknown field 'domain' for apps.create; valid fields: name, slug, template");
  assert.equal(s.kernel.services.apps.find('shop'), undefined, 'nothing was created');
});

test('HTTP: a close misspelling gets a suggestion', async () => {
  const r = await s.op('apps.create', { nmae: 'Shop' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /Unknown field 'nmae' for apps\.create; valid fields: name, slug, template \(did you mean 'name'\?\)/);
});

test('HTTP: unknown fields in nested objects we define are refused too', async () => {
  const r = await s.op('deploy', { app: 'nested', files: [{ path: 'index.html', content: 'hi', mode: '0644' }] });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /Unknown field 'mode' in files\.0 for deploy; valid fields: path, content, encoding/);
});

test('HTTP GET: an unknown query parameter is refused', async () => {
  const res = await fetch(`${s.url}/api/ops/apps.list?includeSystem=true&colour=red`, { headers: { authorization: `Bearer ${s.token}` } });
  assert.equal(res.status, 400);
  assert.match(((await res.json()) as { error: { message: string } }).error.message, /Unknown field 'colour' for apps\.list/);
});

test('user data stays open: document fields, kv values and tool arguments are not checked', async () => {
  await s.op('apps.create', { name: 'Data' });
  const ins = await s.op('storage.ds.insert', { app: 'data', collection: 'posts', doc: { title: 'x', anything: { nested: true } } });
  assert.equal(ins.status, 200, JSON.stringify(ins.body));
  assert.deepEqual(ins.body.doc.anything, { nested: true });
  const kv = await s.op('storage.kv.set', { app: 'data', key: 'k', value: { free: 'form' } });
  assert.equal(kv.status, 200, JSON.stringify(kv.body));
  const q = await s.op('storage.ds.query', { app: 'data', collection: 'posts', query: { 'anything.nested': true } });
  assert.equal(q.status, 200, JSON.stringify(q.body));
  assert.equal(q.body.docs.length, 1);
});

test('MCP: tool input schemas forbid extra properties and an extra argument is an error naming the valid ones', async () => {
  const client = await connect(`${s.url}/mcp`, { token: s.token });
  try {
    const { tools } = await client.listTools();
    const create = tools.find((t) => t.name === 'apps_create')!;
    assert.equal(create.inputSchema.additionalProperties, false);
    const deploy = tools.find((t) => t.name === 'deploy')!;
    const files = (deploy.inputSchema.properties as Record<string, { items: { additionalProperties?: unknown } }>).files;
    assert.equal(files.items.additionalProperties, false);
    const insert = tools.find((t) => t.name === 'storage_ds_insert')!;
    assert.notEqual((insert.inputSchema.properties as Record<string, { additionalProperties?: unknown }>).doc.additionalProperties, false);
    const r = await client.callTool({ name: 'apps_create', arguments: { name: 'Mcp Shop', domain: 'shop.example' } });
    assert.equal(r.isError, true);
    assert.match(textOf(r), /Unknown field 'domain' for apps\.create; valid fields: name, slug/);
    assert.equal(s.kernel.services.apps.find('mcp-shop'), undefined);
  } finally {
    await client.close();
  }
});
