import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineCache, threadEngines, MAX_ENGINES_PER_THREAD } from './engine-cache.js';
import { DEFAULT_LIMITS } from './limits.js';
import { AppPool } from './pool.js';
import { collectOnce } from './runner.js';
import type { AppCode } from './slot.js';

const MB = DEFAULT_LIMITS.memoryMb;
const spec = (id: string): AppCode => ({ app: { id, slug: id, name: id, env: {} }, code: 'export default () => ({ body: 1 })', isModule: true, limits: DEFAULT_LIMITS });
const inv = { requestId: 'r', userId: null };

describe('engine cache', () => {
  it('gives each holder its own engine up to the cap, then shares the least used', async () => {
    const cache = new EngineCache(3);
    const held = [];
    for (const owner of ['a', 'b', 'c', 'd', 'e']) held.push(await cache.acquire(MB, owner));
    assert.equal(cache.size, 3);
    assert.equal(new Set(held.slice(0, 3)).size, 3);
    assert.deepEqual(held.map((e) => e.users), [2, 2, 1, 2, 2]);
  });

  it('does not pass the cap when holders ask at once', async () => {
    const cache = new EngineCache(3);
    const held = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((o) => cache.acquire(MB, o)));
    assert.equal(cache.size, 3);
    assert.deepEqual(held.map((e) => e.users), [2, 2, 2, 2, 2, 2]);
  });

  it('recycles an idle engine, its last owner first, instead of making another', async () => {
    const cache = new EngineCache(3);
    const [a, b] = [await cache.acquire(MB, 'a'), await cache.acquire(MB, 'b')];
    cache.release(a);
    cache.release(b);
    assert.equal(await cache.acquire(MB, 'b'), b);
    assert.equal(await cache.acquire(MB, 'new'), a);
    assert.equal(cache.size, 2);
  });

  it('forgets a retired engine once its last holder lets go', async () => {
    const cache = new EngineCache(3);
    const a = await cache.acquire(MB, 'a');
    a.poisoned = true;
    const b = await cache.acquire(MB, 'a');
    assert.notEqual(b, a);
    assert.equal(cache.size, 2);
    cache.release(a);
    assert.equal(cache.size, 1);
  });

  it('keeps a thread at its cap however many app versions and deploy checks it serves', async () => {
    const pools: AppPool[] = [];
    for (let i = 0; i < MAX_ENGINES_PER_THREAD + 4; i++) {
      const pool = new AppPool(spec(`app_${i}`), () => undefined);
      pools.push(pool);
      const r = await (await pool.take()).request(JSON.stringify({ method: 'GET', path: '/', query: {}, headers: {}, body: null, files: [] }), inv);
      assert.equal(r.body.toString(), '1');
    }
    assert.equal(threadEngines.size, MAX_ENGINES_PER_THREAD);
    for (const p of pools) p.dispose();
    for (let i = 0; i < 10; i++) await collectOnce(spec(`check_${i}`), () => undefined);
    assert.equal(threadEngines.size, MAX_ENGINES_PER_THREAD, 'deploy checks reuse idle engines');
  });
});
