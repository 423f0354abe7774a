import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
before(async () => (s = await startServer()));
after(() => s.close());

const cli = (args: string[]) => runCli(args, { dataDir: s.dataDir });
const create = async (name: string, ...caps: string[]) => {
  const r = await cli(['token', 'create', '--name', name, ...caps.flatMap((c) => ['--cap', c])]);
  return { ...r, info: r.code === 0 ? (JSON.parse((await cli(['token', 'list', '--json'])).stdout).tokens as { name: string; caps: string[] }[]).find((t) => t.name === name) : undefined };
};

test('token create refuses capabilities outside the grammar, naming the valid forms', async () => {
  const area = await create('t1', 'kernel:app:read');
  assert.equal(area.code, 2, area.stdout);
  assert.match(area.stderr, /unknown area 'app'/);
  assert.match(area.stderr, /apps, /);
  assert.match(area.stderr, /did you mean kernel:apps:read\?/);
  const root = await create('t2', 'root:everything');
  assert.equal(root.code, 2);
  assert.match(root.stderr, /root:everything/);
  assert.match(root.stderr, /kernel:\*/);
  const level = await create('t3', 'kernel:apps:delete');
  assert.equal(level.code, 2);
  const list = await cli(['token', 'list', '--json']);
  assert.deepEqual(JSON.parse(list.stdout).tokens.map((t: { name: string }) => t.name), ['owner'], 'no token was made');
});

test('app slugs in capabilities become app ids; an unknown app is refused', async () => {
  const app = (await s.op('apps.create', { name: 'Blog' })).body as { id: string };
  const ok = await create('blog-bot', 'app:blog:*', 'kernel:pulse:read');
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(ok.info?.caps, [`app:${app.id}:*`, 'kernel:pulse:read']);
  const byId = await create('blog-reader', `app:${app.id}:read`);
  assert.equal(byId.code, 0, byId.stderr);
  const missing = await create('ghost-bot', 'app:ghost:read');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /No app 'ghost'/);
});

test('the owner-wide forms are accepted', async () => {
  const r = await create('wide', 'kernel:*', 'app:*', 'kernel:storage:*');
  assert.equal(r.code, 0, r.stderr);
});
