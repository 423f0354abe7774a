import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from './render.js';

test('nested objects render as dotted keys, lists of records as an indented table', () => {
  const text = render({ name: 'fazt', caller: { name: 'owner', caps: ['kernel:*', 'app:*'] }, limits: { http: { p99: 12 } }, rows: [{ a: 1 }, { a: 2 }], empty: {} });
  assert.match(text, /^name\s+fazt$/m);
  assert.match(text, /^caller\.name\s+owner$/m);
  assert.match(text, /^caller\.caps\s+kernel:\*, app:\*$/m);
  assert.match(text, /^limits\.http\.p99\s+12$/m);
  assert.match(text, /^rows:\n  A\n  1\n  2$/m);
  assert.doesNotMatch(text, /\{"/);
});
