import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogBudget } from './log-budget.js';

const line = (requestId: string, message = 'm', appId = 'app_a') => ({ appId, level: 'info' as const, message, requestId });

describe('LogBudget', () => {
  it('admits a request\'s first lines, drops the rest and sums them up in one line when the request ends', () => {
    const b = new LogBudget({ linesPerRequest: 3, appBytesPerWindow: 1_000_000, windowMs: 60_000 });
    const out = [];
    for (let i = 0; i < 10; i++) out.push(...b.admit(line('r1', `l${i}`), 10, 0));
    assert.deepEqual(out.map((e) => e.message), ['l0', 'l1', 'l2']);
    const end = b.end('app_a', 'r1');
    assert.equal(end.length, 1);
    assert.match(end[0].message, /7 more log lines of this request were dropped.*3 per request/);
    assert.equal(end[0].requestId, 'r1');
    assert.deepEqual(b.end('app_a', 'r1'), [], 'once');
    assert.deepEqual([...b.dropped], [['app_a', 7]]);
  });

  it('limits the bytes an app writes per window, says so once, and starts again in the next window', () => {
    const b = new LogBudget({ linesPerRequest: 1000, appBytesPerWindow: 100, windowMs: 60_000 });
    const at = (t: number, id: string, appId = 'app_a') => b.admit(line(id, id, appId), 40, t).map((e) => e.message);
    assert.deepEqual(at(0, 'a'), ['a']);
    assert.deepEqual(at(1, 'b'), ['b']);
    const over = at(2, 'c');
    assert.equal(over.length, 1);
    assert.match(over[0], /more than 100 bytes of logs per minute.*dropped until/);
    assert.deepEqual(at(3, 'd'), []);
    assert.deepEqual(at(4, 'e', 'app_b'), ['e'], 'another app has its own budget');
    assert.deepEqual(at(60_001, 'f'), ['f']);
    assert.equal(b.dropped.get('app_a'), 2);
  });

  it('sums up requests that never report their end once they go quiet', () => {
    const b = new LogBudget({ linesPerRequest: 1, appBytesPerWindow: 1_000_000, windowMs: 60_000 });
    b.admit(line('tool-call'), 1, 0);
    b.admit(line('tool-call'), 1, 0);
    const later = b.admit(line('r2'), 1, 120_000);
    assert.deepEqual(later.map((e) => e.requestId), ['tool-call', 'r2']);
    assert.match(later[0].message, /1 more log line of this request was dropped/);
  });
});
