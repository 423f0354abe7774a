import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareSchema } from './manifest.js';

const known = [
  { name: 'core', newest: 1 },
  { name: 'apps', newest: 2 },
];

test('the same schema is neither newer nor older', () => {
  assert.deepEqual(compareSchema({ core: 1, apps: 2 }, known), { older: false });
});

test('a module behind, or missing from the snapshot, is older', () => {
  assert.deepEqual(compareSchema({ core: 1, apps: 1 }, known), { older: true });
  assert.deepEqual(compareSchema({ core: 1 }, known), { older: true });
});

test('a module ahead, or one this build does not know, is newer and named', () => {
  assert.deepEqual(compareSchema({ core: 1, apps: 3 }, known).newer, { module: 'apps', version: 3, known: 2 });
  assert.deepEqual(compareSchema({ core: 1, apps: 2, fleet: 1 }, known).newer, { module: 'fleet', version: 1, known: 0 });
});
