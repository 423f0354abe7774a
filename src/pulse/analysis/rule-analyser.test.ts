import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Metrics } from '../collectors/define.js';
import { RuleAnalyser } from './rule-analyser.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.js';
import type { PastBeat } from './types.js';

function metrics(o: { mem?: number; disk?: number; requests?: number; e5xx?: number; p99?: number; perMinute?: number; apps?: Record<string, { requests: number; errors5xx: number; p99?: number }> } = {}): Metrics {
  const requests = o.requests ?? 0;
  const bySlug: Metrics = {};
  for (const [slug, a] of Object.entries(o.apps ?? {})) {
    bySlug[slug] = { requests: a.requests, errors5xx: a.errors5xx, errorRate: a.requests ? (a.errors5xx / a.requests) * 100 : 0, p99: a.p99 ?? 5 };
  }
  return {
    host: { memory: { percent: o.mem ?? 40 }, disk: { path: '/data', percent: o.disk ?? 30, freeGb: 10 } },
    http: { requests, errors5xx: o.e5xx ?? 0, errorRate: requests ? ((o.e5xx ?? 0) / requests) * 100 : 0, p99: o.p99 ?? 5, perMinute: o.perMinute ?? requests, bySlug },
    process: { cpuPercent: 5, eventLoopP99Ms: 10 },
    safety: { pendingHalts: 0, oldestHaltHours: 0, deniedCalls: 0 },
    storage: { totalMb: 1 },
  };
}

const analyser = (t: Partial<Thresholds> = {}) => new RuleAnalyser(() => ({ ...DEFAULT_THRESHOLDS, ...t }));
const facts = (m: Metrics, failed: Record<string, string> = {}) => ({ at: new Date().toISOString(), metrics: m, failed });
const past = (m: Metrics, issues: PastBeat['issues'] = [], id = 1): PastBeat => ({ id, at: new Date().toISOString(), metrics: m, issues });

test('healthy beat: no issues and a one-sentence summary', () => {
  const a = analyser().analyse(facts(metrics({ requests: 10 })), [], []);
  assert.equal(a.health, 'healthy');
  assert.deepEqual(a.issues, []);
  assert.match(a.summary, /^Healthy: 10 requests.*memory 40 %.*\.$/);
  assert.equal(a.analyser, 'rules');
});

test('memory and disk thresholds give warning/critical issues with stable keys and op recommendations', () => {
  const a = analyser().analyse(facts(metrics({ mem: 92, disk: 87 })), [], []);
  assert.equal(a.health, 'critical');
  const mem = a.issues.find((i) => i.key === 'memory.usage:host');
  const disk = a.issues.find((i) => i.key === 'disk.usage:/data');
  assert.equal(mem?.severity, 'critical');
  assert.equal(disk?.severity, 'warning');
  assert.match(disk!.recommendation, /logs\.cleanup/);
  assert.equal(disk!.metric, 'host.disk.percent');
  assert.equal(disk!.value, 87);
  assert.equal(a.issues[0].severity, 'critical', 'worst first');
  assert.match(a.summary, /^Critical: Memory 92 % used and 1 more issue\.$/);
});

test('error rate needs the minimum request count', () => {
  const few = analyser().analyse(facts(metrics({ requests: 2, e5xx: 1, apps: { shop: { requests: 2, errors5xx: 1 } } })), [], []);
  assert.equal(few.issues.length, 0, 'one failure in two requests is not an alarm');
  const many = analyser().analyse(facts(metrics({ requests: 100, e5xx: 30, apps: { shop: { requests: 100, errors5xx: 30 } } })), [], []);
  const app = many.issues.find((i) => i.key === 'app.errors:shop');
  assert.equal(app?.severity, 'critical');
  assert.match(app!.recommendation, /logs\.query/);
  assert.ok(many.issues.some((i) => i.key === 'http.errors:all'));
});

test('a recently deployed erroring app is pointed at deploy.rollback', () => {
  const ev = [{ id: '1', type: 'system.app.deployed', source: 'system', data: { slug: 'shop', version: 3 }, timestamp: new Date().toISOString() }];
  const a = analyser().analyse(facts(metrics({ requests: 100, e5xx: 10, apps: { shop: { requests: 100, errors5xx: 10 } } })), [], ev);
  assert.match(a.issues.find((i) => i.key === 'app.errors:shop')!.recommendation, /deploy\.rollback shop/);
});

test('hysteresis through history: an open disk warning holds at 80 % and clears at 70 %', () => {
  const first = analyser().analyse(facts(metrics({ disk: 86 })), [], []);
  const h1 = [past(metrics({ disk: 86 }), first.issues)];
  const held = analyser().analyse(facts(metrics({ disk: 80 })), h1, []);
  assert.ok(held.issues.some((i) => i.key === 'disk.usage:/data'));
  const fresh = analyser().analyse(facts(metrics({ disk: 80 })), [], []);
  assert.ok(!fresh.issues.some((i) => i.key === 'disk.usage:/data'), 'not raised at 80 without history');
  const cleared = analyser().analyse(facts(metrics({ disk: 70 })), [past(metrics({ disk: 80 }), held.issues)], []);
  assert.ok(!cleared.issues.some((i) => i.key === 'disk.usage:/data'));
});

test('traffic spike at 3x the recent average is a pattern and an info issue', () => {
  const history = [1, 2, 3, 4].map((i) => past(metrics({ requests: 100, perMinute: 100 }), [], i));
  const a = analyser().analyse(facts(metrics({ requests: 400, perMinute: 400 })), history, []);
  const spike = a.issues.find((i) => i.key === 'traffic.spike:all');
  assert.equal(spike?.severity, 'info');
  assert.ok(a.patterns.some((p) => /4× the recent average/.test(p)));
  assert.equal(a.health, 'healthy', 'a spike alone is not degradation');
  const normal = analyser().analyse(facts(metrics({ requests: 200, perMinute: 200 })), history, []);
  assert.ok(!normal.issues.some((i) => i.key === 'traffic.spike:all'));
});

test('latency anomaly beyond the z-score', () => {
  const history = [10, 12, 11, 9, 10, 11].map((p99, i) => past(metrics({ requests: 100, p99 }), [], i));
  const a = analyser().analyse(facts(metrics({ requests: 100, p99: 90 })), history, []);
  assert.ok(a.issues.some((i) => i.key === 'latency.anomaly:all' && i.value === 90));
  const b = analyser().analyse(facts(metrics({ requests: 100, p99: 12 })), history, []);
  assert.ok(!b.issues.some((i) => i.key === 'latency.anomaly:all'));
});

test('a failed collector degrades the beat with its own issue', () => {
  const a = analyser().analyse(facts(metrics(), { storage: 'no answer within its 100 ms budget' }), [], []);
  assert.equal(a.health, 'degraded');
  assert.equal(a.issues[0].key, 'pulse.collector:storage');
});

test('configured thresholds apply', () => {
  const a = analyser({ memoryWarningPercent: 30 }).analyse(facts(metrics({ mem: 40 })), [], []);
  assert.equal(a.issues.find((i) => i.key === 'memory.usage:host')?.severity, 'warning');
});
