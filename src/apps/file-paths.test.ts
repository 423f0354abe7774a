import assert from 'node:assert/strict';
import { it } from 'node:test';
import { OpError } from '../kernel/ops/errors.js';
import { isPrivatePath, normalizeAppPath } from './file-paths.js';
import { isHashedAsset, mimeFor } from './mime.js';

it('normalizes good paths and refuses unsafe ones', () => {
  assert.equal(normalizeAppPath('index.html'), 'index.html');
  assert.equal(normalizeAppPath('./a/b.css'), 'a/b.css');
  assert.equal(normalizeAppPath('.well-known/x'), '.well-known/x');
  for (const bad of ['', '/abs', 'C:/x', 'a\\b', 'a\0b', '../x', 'a/../b', 'a//b', 'a/./b', 'a/', 'x\n', 'a'.repeat(1025), `${'b'.repeat(256)}/c`]) {
    assert.throws(() => normalizeAppPath(bad), (e: unknown) => e instanceof OpError && e.code === 'BAD_INPUT', JSON.stringify(bad));
  }
});

it('private/ and api/ are never public', () => {
  assert.equal(isPrivatePath('private/a.txt'), true);
  assert.equal(isPrivatePath('api/main.js'), true);
  assert.equal(isPrivatePath('api'), true);
  assert.equal(isPrivatePath('apis/x'), false);
  assert.equal(isPrivatePath('privateer.html'), false);
});

it('knows content types and hashed asset names', () => {
  assert.equal(mimeFor('a/b.HTML'), 'text/html; charset=utf-8');
  assert.equal(mimeFor('x.svg'), 'image/svg+xml');
  assert.equal(mimeFor('noext'), 'application/octet-stream');
  assert.equal(mimeFor('.hidden'), 'application/octet-stream');
  assert.equal(isHashedAsset('app.3f2a9c1b.js'), true);
  assert.equal(isHashedAsset('assets/index-BxK3a9Zq.css'), true);
  assert.equal(isHashedAsset('my-component.js'), false);
  assert.equal(isHashedAsset('style.css'), false);
});
