import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Kernel } from '../../src/kernel/kernel.js';
import { coreModule } from '../../src/kernel/core-module.js';
import { tempDir } from '../helpers/temp.js';

const t = tempDir();
const k = new Kernel([coreModule], { dataDir: t.dir });
after(async () => (await k.stop(), t.cleanup()));

test('tokens are stored only as hashes', () => {
  const { token, info } = k.tokens.create('ci', 'token', ['kernel:apps:read'], null);
  const secret = token.replace(/^fzt_[a-f0-9]{12}_/, '');
  const dump = JSON.stringify(k.db.prepare('SELECT * FROM tokens').all());
  assert.ok(!dump.includes(secret), 'secret must not be stored');
  assert.ok(!dump.includes(token));
  assert.equal(k.tokens.verify(token).ok, true);
  assert.equal(info.caps[0], 'kernel:apps:read');
});

test('wrong secret, malformed, revoked and expired tokens are refused with a reason', () => {
  const { token, info } = k.tokens.create('short', 'token', ['kernel:apps:read'], null);
  const wrong = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
  assert.deepEqual(k.tokens.verify(wrong), { ok: false, reason: 'unknown' });
  assert.deepEqual(k.tokens.verify('hello'), { ok: false, reason: 'malformed' });
  k.tokens.revoke(info.id);
  assert.deepEqual(k.tokens.verify(token), { ok: false, reason: 'revoked' });
  const expired = k.tokens.create('old', 'token', ['kernel:apps:read'], new Date(Date.now() - 1000).toISOString());
  assert.deepEqual(k.tokens.verify(expired.token), { ok: false, reason: 'expired' });
});

test('last use is recorded', () => {
  const { token, info } = k.tokens.create('used', 'token', ['kernel:apps:read'], null);
  assert.equal(k.tokens.get(info.id)!.lastUsedAt, null);
  k.tokens.verify(token);
  assert.ok(k.tokens.get(info.id)!.lastUsedAt);
});
