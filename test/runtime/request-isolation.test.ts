import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from './app-client.js';

/**
 * `<!--` starts a comment in a script but not in a module: this app tries to
 * declare `stash` outside the function each request runs, to keep what one
 * request saw for the next.
 */
const ESCAPE = [
  'let a = 1, b = 1;',
  'a <!-- b + `',
  '}); let stash = []; (async function () {',
  '// `',
  'export default function (r) {',
  '  const kept = typeof stash === "undefined" ? null : stash;',
  '  if (kept) kept.push(r.query.v);',
  '  return { body: { kept } };',
  '}',
].join('\n');

describe('module apps: nothing of one request reaches the next', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('code that tries to step outside the per-request function keeps nothing between requests', async () => {
    const d = await deploy(s, 'escape', { 'api/main.js': ESCAPE });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    const seen: unknown[] = [];
    for (const v of ['first-secret', 'second', 'third', 'fourth']) {
      const r = await appRequest(s, 'escape', `/api/x?v=${v}`);
      assert.equal(r.status, 200, r.text);
      seen.push(r.json.kept);
    }
    assert.ok(!JSON.stringify(seen).includes('first-secret'), `later requests saw the first one: ${JSON.stringify(seen)}`);
    assert.deepEqual(seen, [null, null, null, null]);
  });
});
