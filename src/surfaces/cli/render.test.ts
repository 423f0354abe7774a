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

test('a table keeps long text whole in its last column; shorter columns stay aligned before it', () => {
  const detail = 'No configured DNS provider hosts a zone for photos.example.com; set its A record to 127.0.0.2 yourself.';
  const text = render([
    { key: 'server', detail: 'Create the server', status: 'pending' },
    { key: 'dns', detail, status: 'skipped' },
  ]);
  const lines = text.split('\n');
  assert.match(lines[0], /^KEY\s+STATUS\s+DETAIL$/);
  assert.ok(lines[2].endsWith(detail), lines[2]);
  assert.equal(lines[1].indexOf('pending'), lines[2].indexOf('skipped'));
});
