import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OpError } from '../../kernel/ops/errors.js';
import { openStores } from '../open-stores.js';
import { compileQuery } from './query-compiler.js';

const S = { appId: 'app_q' };

/** A small collection covering missing fields, nulls, booleans, nested objects and mixed types. */
function seeded() {
  const stores = openStores({ limits: { autoIndexAfter: 0 } });
  const docs = [
    { id: 'a', title: 'Alpha', views: 10, status: 'published', draft: false, author: { name: 'ana', age: 30 }, tags: ['x', 'y'] },
    { id: 'b', title: 'Beta', views: 5, status: 'draft', draft: true, author: { name: 'bo', age: 41 } },
    { id: 'c', title: 'Gamma', views: 20, status: 'published', draft: false, author: { name: 'ana', age: 30 }, note: null },
    { id: 'd', title: 'Delta', views: '15', status: 'archived' },
    { id: 'e', title: "O'Reilly \"quoted\" -- ; DROP TABLE app_docs", views: 0, status: 'published', 'weird-key_1': 'k' },
  ];
  for (const d of docs) stores.ds.insert(S, 'posts', d);
  const ids = (query: unknown) => stores.ds.find(S, 'posts', query as Record<string, unknown>).map((d) => d.id);
  return { ...stores, ids };
}

function badInput(fn: () => unknown, mentions: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof OpError, `expected OpError, got ${e}`);
    assert.equal(e.code, 'BAD_INPUT');
    assert.ok(e.message.includes(mentions), `'${e.message}' should mention ${mentions}`);
    return true;
  });
}

describe('query compiler', () => {
  test('implicit equality and implicit AND of fields', () => {
    const { ids } = seeded();
    assert.deepEqual(ids({}), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(ids({ status: 'published' }), ['a', 'c', 'e']);
    assert.deepEqual(ids({ status: 'published', views: 10 }), ['a']);
    assert.deepEqual(ids({ id: 'c' }), ['c']);
    assert.deepEqual(ids({ draft: true }), ['b']);
    assert.deepEqual(ids({ draft: false }), ['a', 'c']);
    assert.deepEqual(ids({ views: '15' }), ['d'], 'a string never equals a number');
    assert.deepEqual(ids({ views: 15 }), []);
    assert.deepEqual(ids({ note: null }), ['a', 'b', 'd', 'e', 'c'].sort(), 'null matches null and missing');
    assert.deepEqual(ids({ author: { name: 'ana', age: 30 } }), ['a', 'c'], 'exact subdocument');
    assert.deepEqual(ids({ tags: ['x', 'y'] }), ['a'], 'exact array');
    assert.deepEqual(ids({ 'weird-key_1': 'k' }), ['e']);
  });

  test('$eq $ne', () => {
    const { ids } = seeded();
    assert.deepEqual(ids({ status: { $eq: 'draft' } }), ['b']);
    assert.deepEqual(ids({ status: { $ne: 'published' } }), ['b', 'd']);
    assert.deepEqual(ids({ draft: { $ne: true } }), ['a', 'c', 'd', 'e'], '$ne matches missing fields');
    assert.deepEqual(ids({ note: { $ne: null } }), []);
    assert.deepEqual(ids({ 'author.name': { $ne: 'ana' } }), ['b', 'd', 'e']);
    assert.deepEqual(ids({ author: { $ne: { name: 'ana', age: 30 } } }), ['b', 'd', 'e']);
  });

  test('$gt $gte $lt $lte compare only the same type', () => {
    const { ids } = seeded();
    assert.deepEqual(ids({ views: { $gt: 5 } }), ['a', 'c'], "'15' (a string) is not > 5");
    assert.deepEqual(ids({ views: { $gte: 5 } }), ['a', 'b', 'c']);
    assert.deepEqual(ids({ views: { $lt: 10 } }), ['b', 'e']);
    assert.deepEqual(ids({ views: { $lte: 10, $gt: 0 } }), ['a', 'b']);
    assert.deepEqual(ids({ views: { $gt: '1' } }), ['d']);
    assert.deepEqual(ids({ title: { $gte: 'B', $lt: 'E' } }), ['b', 'd']);
    assert.deepEqual(ids({ 'author.age': { $gt: 35 } }), ['b']);
  });

  test('$in $nin', () => {
    const { ids } = seeded();
    assert.deepEqual(ids({ status: { $in: ['draft', 'archived'] } }), ['b', 'd']);
    assert.deepEqual(ids({ views: { $in: [5, 20, '15'] } }), ['b', 'c', 'd']);
    assert.deepEqual(ids({ status: { $in: [] } }), []);
    assert.deepEqual(ids({ draft: { $in: [true, null] } }), ['b', 'd', 'e']);
    assert.deepEqual(ids({ status: { $nin: ['published'] } }), ['b', 'd']);
    assert.deepEqual(ids({ draft: { $nin: [false] } }), ['b', 'd', 'e'], '$nin matches missing fields');
    assert.deepEqual(ids({ status: { $nin: [] } }), ['a', 'b', 'c', 'd', 'e']);
  });

  test('$exists', () => {
    const { ids } = seeded();
    assert.deepEqual(ids({ note: { $exists: true } }), ['c'], 'a null value exists');
    assert.deepEqual(ids({ author: { $exists: false } }), ['d', 'e']);
    assert.deepEqual(ids({ 'author.name': { $exists: true } }), ['a', 'b', 'c']);
  });

  test('dotted paths, $and, $or, nesting', () => {
    const { ids } = seeded();
    assert.deepEqual(ids({ 'author.name': 'ana' }), ['a', 'c']);
    assert.deepEqual(ids({ $or: [{ status: 'draft' }, { views: { $gte: 20 } }] }), ['b', 'c']);
    assert.deepEqual(ids({ $and: [{ status: 'published' }, { views: { $gt: 0 } }] }), ['a', 'c']);
    assert.deepEqual(ids({ status: 'published', $or: [{ 'author.name': 'bo' }, { views: 0 }] }), ['e']);
    assert.deepEqual(ids({ $or: [{ $and: [{ draft: false }, { views: 20 }] }, { id: 'd' }] }), ['c', 'd']);
  });

  test('values and paths are bound parameters, never SQL text', () => {
    const evil = "x' OR 1=1 --";
    const q = compileQuery({ 'author.name': evil, views: { $in: [1, "2'); DROP TABLE app_docs; --"] }, status: { $gt: 'a"b' } });
    assert.ok(!q.where.includes(evil) && !q.where.includes('DROP') && !q.where.includes('a"b') && !q.where.includes('author'));
    assert.ok(Object.values(q.params).includes(evil));
    assert.ok(Object.values(q.params).includes('$.author.name'));
    assert.deepEqual(q.lookupFields.sort(), ['author.name', 'status', 'views']);
  });

  test('injection attempts are refused or matched as plain data', () => {
    const { ids, ds, db } = seeded();
    badInput(() => ids({ "a') OR 1=1 --": 1 }), 'Invalid field path');
    badInput(() => ids({ "title' = title OR '": 1 }), 'Invalid field path');
    badInput(() => ids({ 'a b': 1 }), 'Invalid field path');
    badInput(() => ids({ 'a..b': 1 }), 'Invalid field path');
    badInput(() => ids({ '': 1 }), 'Invalid field path');
    badInput(() => ds.find(S, 'posts', {}, { sort: { "title') --": 1 } }), 'Invalid field path');
    assert.deepEqual(ids({ title: "x' OR '1'='1" }), []);
    assert.deepEqual(ids({ status: { $in: ["published' OR 1=1 --"] } }), []);
    assert.deepEqual(ids({ title: "O'Reilly \"quoted\" -- ; DROP TABLE app_docs" }), ['e'], 'SQL-looking strings round-trip as data');
    assert.equal(db.prepare('SELECT count(*) FROM app_docs').pluck().get(), 5);
  });

  test('operators outside the subset are refused, naming the operator', () => {
    const { ids } = seeded();
    for (const [q, op] of [
      [{ $where: 'this.views > 1' }, '$where'],
      [{ title: { $regex: '^A' } }, '$regex'],
      [{ $x: 1 }, '$x'],
      [{ views: { $gt: 1, $foo: 2 } }, '$foo'],
      [{ $nor: [{ a: 1 }] }, '$nor'],
      [{ title: { $not: { $eq: 'x' } } }, '$not'],
      [{ $expr: { $gt: ['$a', 1] } }, '$expr'],
    ] as const) {
      try {
        ids(q);
        assert.fail(`${op} should be refused`);
      } catch (e) {
        assert.ok(e instanceof OpError);
        assert.equal(e.code, 'BAD_INPUT');
        assert.ok(e.message.includes(`'${op}'`), e.message);
        assert.equal(e.details?.operator, op);
      }
    }
  });

  test('malformed operator arguments are refused', () => {
    const { ids } = seeded();
    badInput(() => ids({ views: { $in: 'x' } }), '$in');
    badInput(() => ids({ views: { $nin: {} } }), '$nin');
    badInput(() => ids({ views: { $gt: null } }), '$gt');
    badInput(() => ids({ views: { $lt: { a: 1 } } }), '$lt');
    badInput(() => ids({ views: { $exists: 'yes' } }), '$exists');
    badInput(() => ids({ $or: [] }), '$or');
    badInput(() => ids({ $and: { a: 1 } }), '$and');
    badInput(() => ids({ $or: ['x'] }), '$or');
    badInput(() => ids({ views: { $gt: 1, plain: 2 } }), 'mixes');
    badInput(() => ids({ views: Number.NaN }), 'finite');
    badInput(() => ids({ views: { $in: new Array(1001).fill(1) } }), 'at most');
    badInput(() => ids('status = 1'), 'must be an object');
    badInput(() => ids({ tags: [{ $gt: 1 }] }), 'Operators are not allowed');
    let deep: Record<string, unknown> = { a: 1 };
    for (let i = 0; i < 12; i++) deep = { $and: [deep] };
    badInput(() => ids(deep), 'nest');
  });
});
