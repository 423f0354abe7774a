import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Metrics } from '../collectors/define.js';
import { RuleAnalyser } from './rule-analyser.js';
import { DEFAULT_THRESHOLDS } from './thresholds.js';

const recent = (requests: number, errors5xx: number, basis = 'last 100 requests') => ({ requests, errors5xx, errorRate: requests ? (errors5xx / requests) * 100 : 0, basis });
const quiet = { requests: 0, errors5xx: 0, errorRate: 0, p99: 0 };

function metrics(bySlug: Metrics, apps: Metrics): Metrics {
  return {
    host: { memory: { percent: 40 }, disk: { path: '/data', percent: 30, freeGb: 10 } },
    http: { ...quiet, perMinute: 0, recent: recent(0, 0), bySlug },
    apps: { active: 0, idle: Object.keys(apps).length, bySlug: apps },
    process: { cpuPercent: 5, eventLoopP99Ms: 10 },
    safety: { pendingHalts: 0, oldestHaltHours: 0, deniedCalls: 0 },
    storage: { totalMb: 1 },
  };
}
const analyse = (m: Metrics) => new RuleAnalyser(() => DEFAULT_THRESHOLDS).analyse({ at: new Date().toISOString(), metrics: m, failed: {} }, [], []);

test('an app judged by its recent requests keeps its error issue in a beat without traffic', () => {
  const a = analyse(metrics({ shop: { ...quiet, recent: recent(60, 60) } }, { shop: { requests: 0 } }));
  const i = a.issues.find((x) => x.key === 'app.errors:shop');
  assert.equal(i?.severity, 'critical');
  assert.equal(i?.metric, 'http.bySlug.shop.recent.errorRate');
  assert.equal(i?.description, '60 of the last 60 requests failed with 5xx; none arrived since the last beat.');
  assert.equal(a.health, 'critical');
});

test('the minutes basis is named, and hosts with no app are never judged or called busiest', () => {
  const a = analyse(metrics({
    shop: { ...quiet, requests: 300, errors5xx: 0, recent: recent(400, 100, 'last 15 min') },
    gone: { ...quiet, requests: 500, errors5xx: 500, noApp: true, recent: recent(500, 500) },
  }, { shop: { requests: 300 } }));
  assert.match(a.issues.find((x) => x.key === 'app.errors:shop')!.description, /^100 of 400 requests in the last 15 min failed with 5xx\.$/);
  assert.ok(!a.issues.some((x) => x.key === 'app.errors:gone'));
  assert.ok(a.patterns.includes('Busiest: shop with 300 of 300 app requests.'), a.patterns.join('\n'));
  assert.ok(a.patterns.includes('500 requests to hosts with no app.'), a.patterns.join('\n'));
});
