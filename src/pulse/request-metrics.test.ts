import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ObservedRequest } from '../kernel/request-observer.js';
import { RequestMetrics } from './request-metrics.js';

const req = (slug: string, status: number, durationMs: number): ObservedRequest => ({
  appId: `app_${slug}`, slug, kind: 'static', method: 'GET', path: '/', status, durationMs, bytes: 10, requestId: 'r',
});

test('counts requests, 4xx, 5xx and latency per app and in total, then starts a new window that remembers recent errors', () => {
  const m = new RequestMetrics();
  for (let i = 0; i < 8; i++) m.observe(req('shop', 200, 10));
  m.observe(req('shop', 404, 10));
  m.observe(req('shop', 500, 1000));
  m.observe(req('blog', 200, 2));
  const w = m.take();
  assert.equal(w.total.requests, 11);
  assert.equal(w.total.errors4xx, 1);
  assert.equal(w.total.errors5xx, 1);
  assert.equal(w.apps.shop.requests, 10);
  assert.equal(w.apps.shop.errorRate, 10);
  assert.equal(w.apps.shop.appId, 'app_shop');
  assert.ok(w.apps.shop.p50 >= 10 && w.apps.shop.p50 < 11);
  assert.ok(w.apps.shop.p99 >= 1000);
  assert.equal(w.apps.blog.requests, 1);
  assert.ok(w.apps.shop.lastActive);
  assert.ok(w.seconds >= 0);

  assert.deepEqual(w.apps.shop.recent, { requests: 10, errors5xx: 1, errorRate: 10, basis: 'last 100 requests' });

  const next = m.take();
  assert.equal(next.total.requests, 0);
  assert.equal(next.apps.shop.requests, 0, 'an idle app has no requests in the new window');
  assert.deepEqual(next.apps.shop.recent, w.apps.shop.recent, 'but keeps its recent error rate');
  assert.deepEqual(next.total.recent, { requests: 11, errors5xx: 1, errorRate: 9.09, basis: 'last 100 requests' });
  assert.ok(m.lastActive('shop'), 'last activity survives an idle window');
  assert.equal(m.lastActive('never'), null);
});

test('hosts with no app are forgotten once their requests are old, and cannot grow without bound', () => {
  const m = new RequestMetrics();
  const stray = (slug: string): ObservedRequest => ({ ...req(slug, 404, 1), appId: null });
  for (let i = 0; i < 500; i++) m.observe(stray(`typo${i}`));
  const w = m.take();
  assert.ok(Object.keys(w.apps).length <= 65, String(Object.keys(w.apps).length));
  assert.equal(w.apps['(other hosts)'].requests, 500 - 64);
  assert.ok(Object.values(w.apps).every((a) => a.noApp));
  assert.equal(w.total.requests, 500);
  assert.deepEqual(Object.keys(m.take(Date.now() + 16 * 60_000).apps), [], 'old stray hosts are dropped');
});

test('an observation that stands for several requests counts as that many, in counters, latency and the recent window', () => {
  const counted = new RequestMetrics();
  const single = new RequestMetrics();
  counted.observe({ ...req('shop', 200, 3), count: 150 });
  counted.observe({ ...req('shop', 500, 40), count: 2 });
  for (let i = 0; i < 150; i++) single.observe(req('shop', 200, 3));
  for (let i = 0; i < 2; i++) single.observe(req('shop', 500, 40));
  const a = counted.take();
  const b = single.take();
  assert.equal(a.apps.shop.requests, 152);
  assert.equal(a.apps.shop.errors5xx, 2);
  for (const k of ['requests', 'errors5xx', 'avgMs', 'p50', 'p99', 'errorRate'] as const) assert.equal(a.apps.shop[k], b.apps.shop[k], k);
  assert.deepEqual(a.apps.shop.recent, b.apps.shop.recent);
  assert.deepEqual(a.total.recent, b.total.recent);
});
