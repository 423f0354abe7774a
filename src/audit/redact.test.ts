import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact } from './redact.js';

test('secrets are replaced and long contents summarised', () => {
  const out = redact({
    token: 'fzt_abc',
    nested: { apiKey: 'k', password: 'p', ok: 'visible' },
    files: [{ path: 'a.html', content: 'x'.repeat(10_000) }],
  }) as any;
  assert.equal(out.token, '[redacted]');
  assert.equal(out.nested.apiKey, '[redacted]');
  assert.equal(out.nested.password, '[redacted]');
  assert.equal(out.nested.ok, 'visible');
  assert.equal(out.files[0].path, 'a.html');
  assert.match(out.files[0].content, /10000 chars/);
  assert.ok(JSON.stringify(out).length < 500);
});
