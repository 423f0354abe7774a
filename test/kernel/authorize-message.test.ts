import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
before(async () => (s = await startServer()));
after(() => s.close());

test("a refused app-scoped token is told which app capability it needs, never an empty 'app::read'", async () => {
  const mine = (await s.op('apps.create', { name: 'mine' })).body;
  const theirs = (await s.op('apps.create', { name: 'theirs' })).body;
  const { token } = s.kernel.tokens.create('mine-only', 'token', [`app:${mine.id}:*`], null);

  const unnamed = await s.op('logs.query', {}, { token });
  assert.equal(unnamed.status, 403);
  assert.doesNotMatch(unnamed.body.error.message, /app::/);
  assert.match(unnamed.body.error.message, /app:<app>:read/);
  assert.match(unnamed.body.error.message, /must name it: set 'app'/);

  const other = await s.op('logs.query', { app: 'theirs' }, { token });
  assert.equal(other.status, 403);
  assert.match(other.body.error.message, new RegExp(`app:${theirs.id}:read`));
  assert.ok(mine.id && theirs.id);
});
