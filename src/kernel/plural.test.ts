import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plural } from './plural.js';

test('plural picks the noun for the count', () => {
  assert.equal(plural(1, 'file'), '1 file');
  assert.equal(plural(0, 'file'), '0 files');
  assert.equal(plural(3, 'entry', 'entries'), '3 entries');
});
