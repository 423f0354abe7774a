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

const TOKEN = 'fzt_0123456789ab_' + 'Ab3-_'.repeat(8) + 'xyz';

test('a fazt token is redacted wherever it appears in a value, keeping only its id', () => {
  const out = redact({
    id: TOKEN,
    key: `prefix-${TOKEN}-suffix`,
    list: ['ok', `Bearer ${TOKEN}`],
    [TOKEN]: 'as a key',
    long: `${'x'.repeat(30)}${TOKEN}${'y'.repeat(400)}`,
  }) as Record<string, unknown>;
  const text = JSON.stringify(out);
  assert.ok(!text.includes(TOKEN.slice(18)), text);
  assert.equal(out.id, 'fzt_0123456789ab_[redacted]');
  assert.equal(out.key, 'prefix-fzt_0123456789ab_[redacted]-suffix');
  assert.deepEqual(out.list, ['ok', 'Bearer fzt_0123456789ab_[redacted]']);
  assert.ok('fzt_0123456789ab_[redacted]' in out);
  assert.match(String(out.long), /^x{30}fzt_0123456789ab_\[redacted\]y+… \(\d+ chars\)$/);
});

test('redactTokens leaves text without tokens alone and catches cut-off secrets', async () => {
  const { redactTokens } = await import('./redact.js');
  assert.equal(redactTokens('nothing to see, fzt_ alone, fzt_abc'), 'nothing to see, fzt_ alone, fzt_abc');
  assert.equal(redactTokens(`a ${TOKEN} b ${TOKEN}`), 'a fzt_0123456789ab_[redacted] b fzt_0123456789ab_[redacted]');
  assert.equal(redactTokens('fzt_0123456789ab_Ab3'), 'fzt_0123456789ab_[redacted]');
});
