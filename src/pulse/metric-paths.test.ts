import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flatten, listablePaths, resolveMetric, valueAt } from './metric-paths.js';

const metrics = {
  host: { memory: { usedMb: 100, percent: 40 }, disk: { path: '/data', percent: 50 } },
  http: { p99: 12, requests: 5, bySlug: { shop: { requests: 3, errors5xx: 1 } } },
  apps: { active: 1, bySlug: { shop: { requests: 3, errors: 1 } } },
  certs: { certs: [{ domain: 'a', daysLeft: 3 }] },
};

test('flatten keeps numeric leaves only', () => {
  const f = flatten(metrics);
  assert.equal(f['host.memory.percent'], 40);
  assert.equal(f['apps.bySlug.shop.errors'], 1);
  assert.ok(!('host.disk.path' in f));
  assert.ok(!Object.keys(f).some((k) => k.startsWith('certs.certs')));
});

test('resolves exact paths, aliases and per-app shorthands; unknown is null', () => {
  const known = new Set(Object.keys(flatten(metrics)));
  assert.equal(resolveMetric('http.p99', known), 'http.p99');
  assert.equal(resolveMetric('memory.used', known), 'host.memory.usedMb');
  assert.equal(resolveMetric('Memory', known), 'host.memory.percent');
  assert.equal(resolveMetric('apps.shop.errors', known), 'apps.bySlug.shop.errors');
  assert.equal(resolveMetric('http.shop.requests', known), 'http.bySlug.shop.requests');
  assert.equal(resolveMetric('apps.shop', known), 'apps.bySlug.shop.requests');
  assert.equal(resolveMetric('apps.nope.errors', known), null);
  assert.equal(resolveMetric('bogus', known), null);
});

test('valueAt and listable paths', () => {
  assert.equal(valueAt(metrics, 'host.memory.percent'), 40);
  assert.equal(valueAt(metrics, 'host.disk.path'), null);
  assert.equal(valueAt(metrics, 'a.b.c'), null);
  const list = listablePaths(Object.keys(flatten(metrics)));
  assert.ok(list.includes('memory'));
  assert.ok(list.includes('http.p99'));
  assert.ok(list.includes('apps.shop.<field>'));
  assert.ok(!list.some((p) => p.includes('bySlug')));
});
