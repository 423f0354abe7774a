import assert from 'node:assert/strict';
import { SandboxError } from '../../src/runtime/sandbox/errors.js';

/** Awaits an invocation that must fail with a SandboxError, and returns it. */
export async function sandboxFailure(p: Promise<unknown>): Promise<SandboxError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SandboxError, `expected a SandboxError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the invocation to fail');
}
