import assert from 'node:assert/strict';
import { OpError } from '../../src/kernel/ops/errors.js';

/** Runs `fn`, which must throw an OpError, and returns its code. */
export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof OpError, `expected an OpError, got ${String(err)}`);
    return err.code;
  }
  assert.fail('expected an error');
}
