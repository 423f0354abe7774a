import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OpError } from '../kernel/ops/errors.js';
import { checkBlobPath } from './blob-store.js';
import { openStores } from './open-stores.js';
import { errorCode } from '../../test/helpers/op-error.js';

const A = { appId: 'app_a' };
const B = { appId: 'app_b' };


describe('blob store', () => {
  test('put, get, overwrite, delete; mime from extension or given', () => {
    const { blobs } = openStores();
    const info = blobs.put(A, 'img/cat.png', Buffer.from([1, 2, 3]));
    assert.equal(info.mime, 'image/png');
    assert.equal(info.size, 3);
    assert.equal(blobs.put(A, 'notes/readme', Buffer.from('x')).mime, 'application/octet-stream');
    assert.equal(blobs.put(A, 'data.bin', Buffer.from('{}'), 'application/json').mime, 'application/json');
    assert.equal(blobs.put(A, 'text.txt', 'héllo').size, 6, 'strings are stored as UTF-8');
    const got = blobs.get(A, 'img/cat.png')!;
    assert.deepEqual([...got.data], [1, 2, 3]);
    assert.equal(got.mime, 'image/png');
    blobs.put(A, 'img/cat.png', new Uint8Array([9]));
    assert.deepEqual([...blobs.get(A, 'img/cat.png')!.data], [9]);
    assert.equal(blobs.delete(A, 'img/cat.png'), true);
    assert.equal(blobs.delete(A, 'img/cat.png'), false);
    assert.equal(blobs.get(A, 'img/cat.png'), null);
  });

  test('list by prefix, in path order, without reading the bytes; scoped per app and user', () => {
    const { blobs } = openStores();
    for (const p of ['a/1', 'a/2', 'a%/x', 'b/1', 'a_/y']) blobs.put(A, p, Buffer.from(p));
    blobs.put(B, 'a/3', Buffer.from('other app'));
    blobs.put({ appId: 'app_a', userId: 'u1' }, 'a/4', Buffer.from('user'));
    assert.deepEqual(blobs.list(A, 'a/').map((b) => b.path), ['a/1', 'a/2']);
    assert.deepEqual(blobs.list(A, 'a%').map((b) => b.path), ['a%/x']);
    assert.deepEqual(blobs.list(A).map((b) => b.path), ['a%/x', 'a/1', 'a/2', 'a_/y', 'b/1']);
    assert.deepEqual(Object.keys(blobs.list(A)[0]).sort(), ['mime', 'path', 'size', 'updatedAt']);
    assert.deepEqual(blobs.list(B).map((b) => b.path), ['a/3']);
    assert.deepEqual(blobs.list({ appId: 'app_a', userId: 'u1' }).map((b) => b.path), ['a/4']);
    assert.equal(blobs.get(B, 'a/1'), null);
  });

  test('path validation', () => {
    for (const bad of ['', '/abs', '../up', 'a/../b', 'a/..', './a', 'a//b', 'a/', 'nul\0byte', 'ctl\nx', 'win\\path', 'x'.repeat(1025), 'lone\uD800']) {
      assert.throws(() => checkBlobPath(bad), (e: OpError) => e.code === 'BAD_INPUT', JSON.stringify(bad));
    }
    for (const good of ['a', 'a/b/c.txt', '..hidden', 'a..b', 'sp ace/ü.png', 'x'.repeat(1024)]) checkBlobPath(good);
  });

  test('size cap and bad data or mime', () => {
    const { blobs } = openStores({ limits: { maxBlobBytes: 10 } });
    blobs.put(A, 'ok', Buffer.alloc(10));
    assert.equal(errorCode(() => blobs.put(A, 'big', Buffer.alloc(11))), 'TOO_LARGE');
    assert.equal(errorCode(() => blobs.put(A, 'x', 42 as unknown as Buffer)), 'BAD_INPUT');
    assert.equal(errorCode(() => blobs.put(A, 'x', Buffer.from('a'), 'not a mime')), 'BAD_INPUT');
    assert.equal(errorCode(() => blobs.put(A, 'x', Buffer.from('a'), 'text/html\r\nx-evil: 1')), 'BAD_INPUT');
    assert.equal(blobs.put(A, 'x', Buffer.from('a'), 'text/plain; charset=utf-8').mime, 'text/plain; charset=utf-8');
  });
});
