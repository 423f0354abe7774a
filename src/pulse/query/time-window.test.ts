import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClock, parseTimeWindow } from './time-window.js';
import { mentionedApps, mentionedMetrics } from './words.js';

process.env.TZ = 'UTC';
// Wednesday 2025-03-12 15:30 UTC
const NOW = Date.parse('2025-03-12T15:30:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const w = (q: string) => {
  const r = parseTimeWindow(q, NOW);
  return r && { from: iso(r.fromMs), to: iso(r.toMs), label: r.label };
};

test('relative windows', () => {
  assert.deepEqual(w('how was the last hour?'), { from: '2025-03-12T14:30:00.000Z', to: '2025-03-12T15:30:00.000Z', label: 'last hour' });
  assert.equal(w('errors in the last 3 days')!.from, '2025-03-09T15:30:00.000Z');
  assert.equal(w('past 30 minutes')!.from, '2025-03-12T15:00:00.000Z');
  assert.deepEqual(w('what happened 2 hours ago'), { from: '2025-03-12T13:00:00.000Z', to: '2025-03-12T14:00:00.000Z', label: '2 hours ago' });
});

test('days and parts of days', () => {
  assert.deepEqual(w('anything yesterday?'), { from: '2025-03-11T00:00:00.000Z', to: '2025-03-12T00:00:00.000Z', label: 'yesterday' });
  assert.deepEqual(w('today so far'), { from: '2025-03-12T00:00:00.000Z', to: '2025-03-12T15:30:00.000Z', label: 'today' });
  assert.deepEqual(w('what happened last night?'), { from: '2025-03-11T18:00:00.000Z', to: '2025-03-12T06:00:00.000Z', label: 'last night' });
  assert.deepEqual(w('this morning'), { from: '2025-03-12T06:00:00.000Z', to: '2025-03-12T12:00:00.000Z', label: 'this morning' });
  assert.equal(w('yesterday afternoon')!.from, '2025-03-11T12:00:00.000Z');
  assert.equal(w('this evening')!.to, '2025-03-12T15:30:00.000Z', 'clipped at now');
});

test('clock times: a past time today, a future one means yesterday', () => {
  assert.deepEqual(w('why was shop slow at 2 PM?'), { from: '2025-03-12T13:00:00.000Z', to: '2025-03-12T15:00:00.000Z', label: 'around 14:00' });
  assert.equal(w('at 9pm')!.label, 'around 21:00 yesterday');
  assert.equal(w('yesterday at 9am')!.from, '2025-03-11T08:00:00.000Z');
  assert.equal(w('around 14:30')!.from, '2025-03-12T13:30:00.000Z');
  assert.equal(w('at noon')!.label, 'around 12:00');
  assert.deepEqual(parseClock('12am'), { hour: 0, minute: 0 });
  assert.deepEqual(parseClock('12 pm'), { hour: 12, minute: 0 });
  assert.equal(parseClock('13pm'), null);
});

test('no time words → null', () => {
  assert.equal(w('is the disk ok?'), null);
  assert.equal(w('I know the answer'), null);
});

test('metric words and app names', () => {
  assert.deepEqual(mentionedMetrics('was memory or disk high?').map((m) => m.path), ['host.memory.percent', 'host.disk.percent']);
  assert.deepEqual(mentionedMetrics('why was it slow').map((m) => m.path), ['http.p99']);
  const apps = [{ slug: 'shop', name: 'Shop' }, { slug: 'blog', name: 'My Blog' }, { slug: 'shop-admin', name: 'x' }];
  assert.deepEqual(mentionedApps('why is shop failing?', apps), ['shop']);
  assert.deepEqual(mentionedApps('errors on shop-admin', apps), ['shop-admin']);
  assert.deepEqual(mentionedApps('my blog is down', apps), ['blog']);
  assert.deepEqual(mentionedApps('workshop stuff', apps), []);
});
