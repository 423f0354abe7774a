import assert from 'node:assert/strict';
import { it } from 'node:test';
import { etagMatches, parseRange, pickEncoding } from './conditional.js';

it('matches If-None-Match lists, weak tags, encodings and *', () => {
  const e = '"abc"';
  assert.equal(etagMatches('"abc"', e), true);
  assert.equal(etagMatches('W/"abc"', e), true);
  assert.equal(etagMatches('"x", "abc-br"', e), true);
  assert.equal(etagMatches('"abc-gz"', e), true);
  assert.equal(etagMatches('*', e), true);
  assert.equal(etagMatches('"abcd"', e), false);
  assert.equal(etagMatches('abc', e), false);
});

it('picks brotli, then gzip, honouring q=0', () => {
  assert.equal(pickEncoding(undefined), undefined);
  assert.equal(pickEncoding('gzip, deflate, br'), 'br');
  assert.equal(pickEncoding('gzip'), 'gzip');
  assert.equal(pickEncoding('br;q=0, gzip;q=0.5'), 'gzip');
  assert.equal(pickEncoding('identity'), undefined);
  assert.equal(pickEncoding('*'), 'br');
  assert.equal(pickEncoding('gzip;q=0'), undefined);
});

it('parses single byte ranges', () => {
  assert.deepEqual(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
  assert.deepEqual(parseRange('bytes=90-', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRange('bytes=-10', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRange('bytes=-500', 100), { start: 0, end: 99 });
  assert.deepEqual(parseRange('bytes=50-5000', 100), { start: 50, end: 99 });
  assert.equal(parseRange('bytes=100-', 100), 'unsatisfiable');
  assert.equal(parseRange('bytes=-0', 100), 'unsatisfiable');
  assert.equal(parseRange('bytes=0-1,4-5', 100), 'ignore');
  assert.equal(parseRange('items=0-1', 100), 'ignore');
  assert.equal(parseRange('bytes=9-2', 100), 'ignore');
  assert.equal(parseRange('bytes=-', 100), 'ignore');
});
