import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { readLinkToken, signLinkToken } from './link-token.js';
import { checkFormNonce, makeFormNonce } from './form-nonce.js';

const key = randomBytes(32);
const payload = { h: 'halt_0123456789ab', o: 'Approve', e: 1_900_000_000_000 };

test('a signed token reads back to its payload', () => {
  const token = signLinkToken(key, payload);
  assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(readLinkToken(key, token), { ok: true, payload });
});

test('a token with any character changed, another key, or no signature is refused', () => {
  const token = signLinkToken(key, payload);
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '.') continue;
    const flipped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    assert.equal(readLinkToken(key, flipped).ok, false, `flipped at ${i}`);
  }
  assert.deepEqual(readLinkToken(randomBytes(32), token), { ok: false, reason: 'signature' });
  assert.deepEqual(readLinkToken(key, token.split('.')[0]), { ok: false, reason: 'malformed' });
  assert.deepEqual(readLinkToken(key, ''), { ok: false, reason: 'malformed' });
});

test('a payload signed correctly but of the wrong shape is refused', () => {
  const odd = signLinkToken(key, { h: 1, o: 'Approve', e: 'soon' } as never);
  assert.deepEqual(readLinkToken(key, odd), { ok: false, reason: 'malformed' });
});

test('a form nonce holds only for the token it was made for', () => {
  const a = signLinkToken(key, payload);
  const b = signLinkToken(key, { ...payload, o: 'Deny' });
  const nonce = makeFormNonce(key, a);
  assert.equal(checkFormNonce(key, a, nonce), true);
  assert.equal(checkFormNonce(key, b, nonce), false);
  assert.equal(checkFormNonce(key, a, nonce.slice(0, -1) + (nonce.endsWith('A') ? 'B' : 'A')), false);
  assert.equal(checkFormNonce(key, a, ''), false);
  assert.equal(checkFormNonce(key, a, undefined), false);
  assert.notEqual(makeFormNonce(key, a), nonce, 'a new nonce on every render');
});
