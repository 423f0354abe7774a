import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FairQueue, perAppCap } from './fair-queue.js';

describe('fair queue', () => {
  it('never lets one app hold every worker once there are two', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 8].map(perAppCap), [1, 1, 2, 2, 3, 4]);
  });

  it('refuses a job past the per-app bound, and only for that app', () => {
    const q = new FairQueue<string>(2);
    assert.equal(q.push('a', 'a1'), true);
    assert.equal(q.push('a', 'a2'), true);
    assert.equal(q.push('a', 'a3'), false);
    assert.equal(q.push('b', 'b1'), true);
  });

  it('serves apps in turn, the one with fewest running first, each under its cap', () => {
    const q = new FairQueue<string>(10);
    for (const j of ['a1', 'a2', 'a3']) q.push('a', j);
    for (const j of ['b1', 'b2']) q.push('b', j);
    const order: string[] = [];
    const take = (cap: number, starvedOnly = false) => {
      const app = q.nextApp(cap, starvedOnly);
      if (app) order.push(q.start(app));
      return app;
    };
    take(2);
    take(2);
    take(2);
    take(2);
    assert.equal(take(2), null, 'both apps are at their cap');
    assert.deepEqual(order, ['a1', 'b1', 'a2', 'b2']);
    q.finish('a');
    assert.equal(take(2, true), null, 'a still runs one: it is not starved');
    q.push('c', 'c1');
    assert.equal(take(2, true), 'c');
    assert.equal(take(2), 'a');
    assert.deepEqual(order, ['a1', 'b1', 'a2', 'b2', 'c1', 'a3']);
    assert.deepEqual(q.snapshot(), { running: { a: 2, b: 2, c: 1 }, waiting: {} });
  });
});
