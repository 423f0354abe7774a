import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OpError } from '../../src/kernel/ops/errors.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('event flood from an app', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('is cut off with RATE_LIMITED after 100 events per second, without slowing other apps', () => {
    const flood = s.kernel.services.apps.create('Flood', 'flood');
    const calm = s.kernel.services.apps.create('Calm', 'calm');
    const store = s.kernel.services.eventStore;
    const emitter = { kind: 'app' as const, appId: flood.id, slug: flood.slug };
    const received: string[] = [];
    const off = s.kernel.events.on('app:*', (e) => received.push(e.type));
    let accepted = 0;
    let refused: OpError | undefined;
    for (let i = 0; i < 150 && !refused; i++) {
      try {
        store.emitFrom(emitter, 'app:flood.tick', { i });
        accepted++;
      } catch (err) {
        refused = err as OpError;
      }
    }
    off();
    assert.equal(accepted, 100);
    assert.ok(refused instanceof OpError);
    assert.equal(refused.code, 'RATE_LIMITED');
    assert.match(refused.message, /100 per second/);
    assert.ok(Number(refused.details?.retryAfter) >= 1);
    assert.equal(received.length, 100, 'refused events never reach subscribers');
    store.emitFrom({ kind: 'app', appId: calm.id, slug: calm.slug }, 'app:calm.tick', {});
    // The app cannot dodge its namespace either.
    assert.throws(() => store.emitFrom(emitter, 'app:calm.tick', {}), (e: OpError) => e.code === 'FORBIDDEN');
  });
});
