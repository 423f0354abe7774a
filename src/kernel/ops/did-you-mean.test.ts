import assert from 'node:assert/strict';
import { test } from 'node:test';
import { didYouMean } from './did-you-mean.js';

test('didYouMean suggests a close name and stays quiet for a far one', () => {
  assert.equal(didYouMean('nmae', ['name', 'message']), 'name');
  assert.equal(didYouMean('mesage', ['name', 'message']), 'message');
  assert.equal(didYouMean('domain', ['name', 'slug']), undefined);
  assert.equal(didYouMean('x', ['name']), undefined);
});
