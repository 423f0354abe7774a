import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GROUP_WAIT_MS, IncidentTracker } from './incidents.js';

const issue = (key: string) => ({ key, severity: 'warning', title: key, description: '', subject: key.split(':')[1] });

test('one incident per group: bursts join it, a quick flap reopens it, a later return is new', () => {
  const t = new IncidentTracker();
  const a = t.openOrJoin('app:shop', issue('app.errors:shop'), 'bad-deploy', 'shop', 1000);
  assert.equal(a.joined, false);
  assert.equal(t.openOrJoin('app:shop', issue('app.sandbox:shop'), 'bad-deploy', 'shop', 1100).joined, true);
  assert.deepEqual([...a.incident.keys], ['app.errors:shop', 'app.sandbox:shop']);
  assert.equal(t.resolve('app.errors:shop', 2000)!.closed, false);
  assert.equal(t.resolve('app.sandbox:shop', 2000)!.closed, true);
  assert.equal(t.get('app:shop'), undefined);
  const flap = t.openOrJoin('app:shop', issue('app.errors:shop'), 'bad-deploy', 'shop', 2000 + GROUP_WAIT_MS - 1);
  assert.equal(flap.joined, true);
  assert.equal(flap.incident, a.incident);
  t.resolve('app.errors:shop', 40_000);
  const later = t.openOrJoin('app:shop', issue('app.errors:shop'), 'bad-deploy', 'shop', 40_000 + GROUP_WAIT_MS);
  assert.equal(later.joined, false);
  assert.notEqual(later.incident, a.incident);
});
