import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeNext } from './safe-next.js';

test('next= keeps same-origin paths and refuses everything that could leave the origin', () => {
  for (const ok of ['/', '/#/approvals', '/authorize?client_id=a&state=b', '/a/b?c=d#e']) assert.equal(safeNext(ok), ok);
  for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '\\\\evil', 'javascript:alert(1)', 'evil', '/\tx', '', null, undefined, '/x'.repeat(1500)]) {
    assert.equal(safeNext(bad as string), '/', String(bad));
  }
});
