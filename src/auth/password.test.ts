import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, passwordProblem, verifyPassword } from './password.js';

test('scrypt hashes: salted, self-describing, and only the right password verifies', async () => {
  const a = await hashPassword('correct horse battery');
  const b = await hashPassword('correct horse battery');
  assert.match(a, /^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, b, 'a fresh salt each time');
  assert.equal(await verifyPassword('correct horse battery', a), true);
  assert.equal(await verifyPassword('correct horse batterY', a), false);
  assert.equal(await verifyPassword('', a), false);
  assert.equal(await verifyPassword('correct horse battery', 'md5$abc'), false, 'an unknown scheme never verifies');
});

test('password rules name the limit', () => {
  assert.match(passwordProblem('short')!, /at least 10/);
  assert.match(passwordProblem('x'.repeat(1025))!, /at most 1024/);
  assert.equal(passwordProblem('long enough password'), undefined);
});
