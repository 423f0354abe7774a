import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scrub } from './scrub.js';

test('a provider answer echoing a credential loses it, with or without the whsec_ prefix', () => {
  assert.equal(scrub('535 bad login for pw hunter22', ['hunter22']), '535 bad login for pw [redacted]');
  assert.equal(scrub('key c2VjcmV0LWtleQ== refused', ['whsec_c2VjcmV0LWtleQ==']), 'key [redacted] refused');
  assert.equal(scrub('nothing to hide', ['abc']), 'nothing to hide');
});
