import assert from 'node:assert/strict';
import { test } from 'node:test';
import { severityFor } from './hysteresis.js';

const levels = { warning: 85, critical: 95 };

test('raises at the threshold, not below', () => {
  assert.equal(severityFor(84.9, levels, undefined), undefined);
  assert.equal(severityFor(85, levels, undefined), 'warning');
  assert.equal(severityFor(95, levels, undefined), 'critical');
  assert.equal(severityFor(null, levels, undefined), undefined);
});

test('an open issue holds until the value falls below 90 % of its threshold', () => {
  // warning raised at 85 holds down to 76.5
  assert.equal(severityFor(80, levels, 'warning'), 'warning');
  assert.equal(severityFor(76.6, levels, 'warning'), 'warning');
  assert.equal(severityFor(76.4, levels, 'warning'), undefined);
  // critical steps down to warning below 85.5, not before
  assert.equal(severityFor(90, levels, 'critical'), 'critical');
  assert.equal(severityFor(85, levels, 'critical'), 'warning');
});

test('a metric hovering around the threshold does not flap', () => {
  let sev: ReturnType<typeof severityFor>;
  const seen: (string | undefined)[] = [];
  for (const v of [84, 86, 84, 85.5, 83, 86, 84]) {
    sev = severityFor(v, levels, sev);
    seen.push(sev);
  }
  assert.deepEqual(seen, [undefined, 'warning', 'warning', 'warning', 'warning', 'warning', 'warning']);
});

test("'below' direction: fewer days left is worse, clearing needs a margin above", () => {
  const cert = { warning: 30, critical: 7, direction: 'below' as const };
  assert.equal(severityFor(40, cert, undefined), undefined);
  assert.equal(severityFor(30, cert, undefined), 'warning');
  assert.equal(severityFor(5, cert, undefined), 'critical');
  assert.equal(severityFor(32, cert, 'warning'), 'warning');
  assert.equal(severityFor(34, cert, 'warning'), undefined);
});
