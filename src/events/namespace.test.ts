import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OpError } from '../kernel/ops/errors.js';
import { checkNamespace, parseEventType, sourceOf } from './namespace.js';
import { matches } from './pattern.js';

const shop = { kind: 'app', appId: 'app_1', slug: 'shop' } as const;
const code = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof OpError);
    return err.code;
  }
  return 'OK';
};

describe('event patterns', () => {
  it('matches exact types, * runs and everything', () => {
    assert.ok(matches('*', 'system.app.deployed'));
    assert.ok(matches('system.app.*', 'system.app.deployed'));
    assert.ok(matches('system.*', 'system.halt.decided'));
    assert.ok(matches('app:shop.*', 'app:shop.order.created'));
    assert.ok(matches('*.created', 'app:shop.order.created'));
    assert.ok(!matches('system.app.*', 'system.halt.created'));
    assert.ok(!matches('app:shop.*', 'app:shopping.order'));
    assert.ok(!matches('system.app', 'system.app.deployed'));
  });

  it('treats regex characters in patterns literally', () => {
    assert.ok(!matches('a.b', 'aXb'));
    assert.ok(!matches('a+', 'aa'));
  });
});

describe('event namespaces', () => {
  it('lets an app emit only in app:<its slug>.*', () => {
    assert.equal(code(() => checkNamespace(shop, 'app:shop.order.created')), 'OK');
    assert.equal(code(() => checkNamespace(shop, 'app:blog.post.created')), 'FORBIDDEN');
    assert.equal(code(() => checkNamespace(shop, 'system.app.deployed')), 'FORBIDDEN');
    assert.equal(code(() => checkNamespace(shop, 'order.created')), 'FORBIDDEN');
    assert.equal(code(() => checkNamespace(shop, 'agent:x.y')), 'FORBIDDEN');
  });

  it('keeps system.* and op.* for the kernel, even from the owner', () => {
    assert.equal(code(() => checkNamespace({ kind: 'owner' }, 'system.app.deployed')), 'FORBIDDEN');
    assert.equal(code(() => checkNamespace({ kind: 'owner' }, 'op.apps.delete')), 'FORBIDDEN');
    assert.equal(code(() => checkNamespace({ kind: 'system' }, 'system.app.deployed')), 'OK');
  });

  it('lets the owner use any other namespace', () => {
    assert.equal(code(() => checkNamespace({ kind: 'owner' }, 'deploy.finished')), 'OK');
    assert.equal(code(() => checkNamespace({ kind: 'owner' }, 'app:shop.refund')), 'OK');
    assert.equal(code(() => checkNamespace({ kind: 'owner' }, 'agent:ops.note')), 'OK');
  });

  it('keeps agents in agent:<name>.*', () => {
    const agent = { kind: 'agent', name: 'ops' } as const;
    assert.equal(code(() => checkNamespace(agent, 'agent:ops.restart')), 'OK');
    assert.equal(code(() => checkNamespace(agent, 'agent:other.restart')), 'FORBIDDEN');
    assert.equal(code(() => checkNamespace(agent, 'app:shop.x')), 'FORBIDDEN');
  });

  it('rejects malformed types with BAD_INPUT', () => {
    for (const t of ['', 'a..b', '.a', 'a.', 'has space', 'app:Shop.x', 'app:shop', 'x'.repeat(201), 'a*b', "'; DROP TABLE events; --"]) {
      assert.equal(code(() => parseEventType(t)), 'BAD_INPUT', t);
    }
    assert.deepEqual(parseEventType('app:shop.order.created'), { namespace: 'app', owner: 'shop' });
    assert.deepEqual(parseEventType('system.app.deployed'), { namespace: 'system' });
  });

  it('names the source after the emitter', () => {
    assert.equal(sourceOf(shop), 'app:shop');
    assert.equal(sourceOf({ kind: 'system' }), 'system');
    assert.equal(sourceOf({ kind: 'agent', name: 'ops' }), 'agent:ops');
  });
});
