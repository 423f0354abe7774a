import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openStores } from '../open-stores.js';
import { declaredIndexes } from '../manifest-indexes.js';
import { errorCode } from '../../../test/helpers/op-error.js';

const A = { appId: 'app_a' };
const B = { appId: 'app_b' };


describe('document store', () => {
  test('insert generates time-ordered ids, keeps given ids, refuses duplicates', () => {
    const { ds } = openStores();
    const a = ds.insert(A, 'posts', { title: 'one' });
    const b = ds.insert(A, 'posts', { title: 'two' });
    assert.match(a.id, /^[0-9a-f]{24}$/);
    assert.ok(a.id < b.id || a.id.slice(0, 12) === b.id.slice(0, 12));
    assert.deepEqual(ds.insert(A, 'posts', { id: 'mine', title: 'three' }), { id: 'mine', title: 'three' });
    assert.equal(errorCode(() => ds.insert(A, 'posts', { id: 'mine' })), 'CONFLICT');
    ds.insert(B, 'posts', { id: 'mine' });
    ds.insert(A, 'other', { id: 'mine' });
    assert.equal(errorCode(() => ds.insert(A, 'posts', { id: 7 })), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.insert(A, 'posts', [] as unknown as Record<string, unknown>)), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.insert(A, 'bad name', {})), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.insert(A, "posts'; --", {})), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.insert(A, 'x'.repeat(65), {})), 'BAD_INPUT');
  });

  test('find with sort, limit, skip; findOne; count', () => {
    const { ds } = openStores();
    for (let i = 0; i < 30; i++) ds.insert(A, 'n', { id: `d${String(i).padStart(2, '0')}`, i, even: i % 2 === 0, group: { g: i % 3 } });
    assert.equal(ds.find(A, 'n').length, 30);
    assert.equal(ds.count(A, 'n'), 30);
    assert.equal(ds.count(A, 'n', { even: true }), 15);
    assert.deepEqual(ds.find(A, 'n', { even: true }, { sort: { i: -1 }, limit: 3 }).map((d) => d.i), [28, 26, 24]);
    assert.deepEqual(ds.find(A, 'n', {}, { sort: { 'group.g': 'asc', i: 'desc' }, limit: 4 }).map((d) => d.i), [27, 24, 21, 18]);
    assert.deepEqual(ds.find(A, 'n', {}, { skip: 28 }).map((d) => d.i), [28, 29]);
    assert.equal(ds.findOne(A, 'n', { i: { $gt: 3 } })!.i, 4);
    assert.equal(ds.findOne(A, 'n', { i: 99 }), null);
    assert.equal(ds.find(A, 'empty').length, 0);
    assert.equal(errorCode(() => ds.find(A, 'n', {}, { limit: 1001 })), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.find(A, 'n', {}, { limit: 0 })), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.find(A, 'n', {}, { skip: -1 })), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.find(A, 'n', {}, { sort: { i: 2 as 1 } })), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.find(A, 'n', {}, { sort: { i: 'DESC; DROP TABLE x' as unknown as 1 } })), 'BAD_INPUT');
    assert.equal(ds.find(A, 'n', {}, { limit: 1000 }).length, 30);
  });

  test('default limit is 100', () => {
    const { ds, db } = openStores();
    db.transaction(() => {
      for (let i = 0; i < 150; i++) ds.insert(A, 'many', { i });
    })();
    assert.equal(ds.find(A, 'many').length, 100);
  });

  test('update: shallow merge, $set with dotted paths, $unset, $inc', () => {
    const { ds } = openStores();
    ds.insert(A, 'p', { id: 'x', title: 't', meta: { a: 1, b: 2 }, views: 1 });
    ds.insert(A, 'p', { id: 'y', title: 'u', views: 'many' });
    assert.equal(ds.update(A, 'p', { id: 'x' }, { title: 'T', meta: { c: 3 } }), 1);
    assert.deepEqual(ds.findOne(A, 'p', { id: 'x' }), { id: 'x', title: 'T', meta: { c: 3 }, views: 1 });
    ds.update(A, 'p', { id: 'x' }, { $set: { 'meta.d.e': 5, flag: true }, $unset: { title: 1, 'meta.c': 1, 'no.such': 1 }, $inc: { views: 2, fresh: 1 } });
    assert.deepEqual(ds.findOne(A, 'p', { id: 'x' }), { id: 'x', meta: { d: { e: 5 } }, views: 3, flag: true, fresh: 1 });
    assert.equal(ds.update(A, 'p', {}, { $set: { seen: true } }), 2);
    assert.equal(ds.count(A, 'p', { seen: true }), 2);
    assert.equal(ds.update(A, 'p', { id: 'none' }, { a: 1 }), 0);
    assert.equal(errorCode(() => ds.update(A, 'p', { id: 'y' }, { $inc: { views: 1 } })), 'BAD_INPUT', '$inc on a string');
    assert.equal(ds.findOne(A, 'p', { id: 'y' })!.views, 'many', 'a failed update changes nothing');
    assert.equal(errorCode(() => ds.update(A, 'p', {}, { id: 'new' })), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.update(A, 'p', {}, { $set: { id: 'new' } })), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.update(A, 'p', {}, { $rename: { a: 'b' } })), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.update(A, 'p', {}, { $set: { a: 1 }, b: 2 })), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.update(A, 'p', {}, {})), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.update(A, 'p', {}, { $set: { '__proto__.polluted': 1 } })), 'BAD_INPUT');
    assert.equal(errorCode(() => ds.update(A, 'p', {}, { $set: { 'title.x': 1 } })), 'BAD_INPUT', 'title of y is a string');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('update refuses a document that grows past the size limit', () => {
    const { ds } = openStores({ limits: { maxValueBytes: 200 } });
    ds.insert(A, 'p', { id: 'x', body: 'short' });
    assert.equal(errorCode(() => ds.update(A, 'p', { id: 'x' }, { body: 'x'.repeat(300) })), 'TOO_LARGE');
    assert.equal(errorCode(() => ds.insert(A, 'p', { body: 'x'.repeat(300) })), 'TOO_LARGE');
  });

  test('delete by query; apps and users are isolated', () => {
    const { ds } = openStores();
    const U1 = { appId: 'app_a', userId: 'u1' };
    ds.insert(A, 'p', { id: '1', s: 'x' });
    ds.insert(A, 'p', { id: '2', s: 'y' });
    ds.insert(B, 'p', { id: '1', s: 'x' });
    ds.insert(U1, 'p', { id: '1', s: 'x' });
    assert.equal(ds.delete(A, 'p', { s: 'x' }), 1);
    assert.equal(ds.count(B, 'p'), 1);
    assert.equal(ds.count(U1, 'p'), 1);
    assert.deepEqual(ds.find(U1, 'p').map((d) => d.id), ['1']);
    assert.equal(ds.update(U1, 'p', {}, { s: 'z' }), 1);
    assert.equal(ds.findOne(B, 'p')!.s, 'x');
    assert.deepEqual(ds.collections(A), [{ name: 'p', count: 1 }]);
    assert.equal(ds.delete(A, 'p', {}), 1);
    assert.equal(ds.count(U1, 'p'), 1);
    assert.equal(ds.deleteApp('app_a'), 1, 'the user document of app a');
    assert.equal(ds.count(B, 'p'), 1);
  });

  test('an indexed lookup uses the index (EXPLAIN QUERY PLAN)', () => {
    const { ds, db } = openStores({ limits: { autoIndexAfter: 0 } });
    db.transaction(() => {
      for (let i = 0; i < 500; i++) ds.insert(A, 'posts', { slug: `post-${i}`, author: { name: `a${i % 7}` } });
    })();
    const before = ds.explain(A, 'posts', { slug: 'post-42' }).join(' | ');
    assert.doesNotMatch(before, /app_docs_f_slug/);
    ds.ensureIndex('app_a', 'posts', 'slug');
    ds.ensureIndex('app_a', 'posts', 'author.name');
    const plan = ds.explain(A, 'posts', { slug: 'post-42' }).join(' | ');
    assert.match(plan, /SEARCH app_docs USING INDEX app_docs_f_slug_\w+ \(app_id=\? AND user_id=\? AND collection=\? AND <expr>=\?\)/);
    assert.match(ds.explain(A, 'posts', { 'author.name': { $in: ['a1', 'a2'] } }).join(), /USING INDEX app_docs_f_author_name_/);
    assert.match(ds.explain(A, 'posts', { 'author.name': { $gt: 'a5' } }).join(), /USING INDEX app_docs_f_author_name_\w+ .*<expr>>\?/);
    assert.deepEqual(ds.find(A, 'posts', { slug: 'post-42' }).map((d) => d.slug), ['post-42']);
    assert.equal(ds.count(A, 'posts', { 'author.name': 'a3' }), 71);
    assert.equal(errorCode(() => ds.ensureIndex('app_a', 'posts', "x') --")), 'BAD_INPUT');
  });

  test('a field looked up often enough gets an index automatically, which survives a restart', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'fazt-ds-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const first = openStores({ dataDir: dir, limits: { autoIndexAfter: 3 } });
    first.ds.insert(A, 'c', { email: 'x@y' });
    first.ds.find(A, 'c', { email: 'x@y' });
    first.ds.find(A, 'c', { email: 'x@y', other: { $exists: true } });
    assert.equal(first.ds.indexes.has('email'), false);
    first.ds.count(B, 'c', { email: 'z' });
    assert.equal(first.ds.indexes.has('email'), true);
    assert.match(first.ds.explain(A, 'c', { email: 'x@y' }).join(), /USING INDEX app_docs_f_email_/);
    first.db.close();
    const second = openStores({ dataDir: dir });
    assert.equal(second.ds.indexes.has('email'), true);
    assert.match(second.ds.explain(A, 'c', { email: 'x@y' }).join(), /USING INDEX app_docs_f_email_/);
    second.db.close();
  });

  test('the number of indexes is capped, separately for automatic and declared ones', () => {
    const { ds } = openStores({ limits: { autoIndexAfter: 1, maxIndexes: 2 } });
    ds.find(A, 'c', { a: 1 });
    ds.find(A, 'c', { b: 1 });
    ds.find(A, 'c', { c: 1 });
    assert.deepEqual(ds.indexes.list(), ['a', 'b']);
    ds.ensureIndex('app_a', 'c', 'd');
    ds.ensureIndex('app_a', 'c', 'a');
    ds.ensureIndex('app_a', 'c', 'e');
    assert.equal(errorCode(() => ds.ensureIndex('app_a', 'c', 'f')), 'LIMIT_EXCEEDED');
    assert.deepEqual(ds.indexes.list(), ['a', 'b', 'd', 'e'], 'automatic indexes leave room for declared ones');
  });

  test('manifest index declarations', () => {
    assert.deepEqual(declaredIndexes({}), []);
    assert.deepEqual(declaredIndexes({ ds: { indexes: { posts: ['slug', 'author.name'], users: ['email'] } } }), [
      ['posts', 'slug'],
      ['posts', 'author.name'],
      ['users', 'email'],
    ]);
    assert.throws(() => declaredIndexes({ ds: { indexes: { posts: 'slug' } } }), /ds.indexes/);
    assert.throws(() => declaredIndexes({ ds: 5 }), /ds.indexes/);
  });
});
