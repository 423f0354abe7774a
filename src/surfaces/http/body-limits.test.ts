import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyLimitsFromConfig, DEFAULT_BODY_LIMITS } from './body-limits.js';

test('body limits come from http.* settings, and a bad one is refused by name', () => {
  assert.deepEqual(bodyLimitsFromConfig({}), DEFAULT_BODY_LIMITS);
  assert.deepEqual(bodyLimitsFromConfig({ 'http.maxFormFields': '50', 'http.maxJsonDepth': '8' }), { maxFormFields: 50, maxJsonDepth: 8 });
  assert.throws(() => bodyLimitsFromConfig({ 'http.maxFormFields': 'lots' }), /http\.maxFormFields must be a positive whole number, got 'lots'/);
  assert.throws(() => bodyLimitsFromConfig({ 'http.maxJsonDepth': '0' }), /http\.maxJsonDepth/);
});
