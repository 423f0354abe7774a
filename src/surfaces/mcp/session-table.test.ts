import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SESSION_LIMITS } from './session-limits.js';
import { SessionTable, type SessionOwner, type TableEntry } from './session-table.js';

const limits = { ...DEFAULT_SESSION_LIMITS, max: 3, owner: 1, perCaller: 2, publicPerEndpoint: 2, idleMs: 60_000 };
const pub = (ip: string, endpoint = 'app:a'): SessionOwner => ({ endpoint, caller: `ip:${ip}`, owner: false, public: true });
const OWNER: SessionOwner = { endpoint: 'kernel', caller: 'principal:tok_owner', owner: true, public: false };

function table(clock: { t: number }) {
  const t = new SessionTable<TableEntry & { closed: boolean }>(limits, () => clock.t);
  let n = 0;
  const add = (who: SessionOwner) => {
    const a = t.admit(who);
    if (!a.ok) return a;
    const s = { id: `s${++n}`, who, lastSeen: 0, active: 0, closed: false, close: () => (s.closed = true) };
    t.add(s);
    t.begin(s)();
    return s;
  };
  return { t, add };
}

describe('SessionTable', () => {
  it('a full public pool answers 503 with the seconds until its oldest idle session expires', () => {
    const clock = { t: 1_000_000 };
    const { add } = table(clock);
    add(pub('1.1.1.1'));
    clock.t += 20_000;
    add(pub('2.2.2.2'));
    clock.t += 10_000;
    const refused = add(pub('3.3.3.3'));
    assert.deepEqual({ ...refused, message: undefined }, { ok: false, status: 503, retryAfter: 30, message: undefined });
    // Another endpoint has its own public pool.
    assert.equal('id' in add(pub('3.3.3.3', 'app:b')), true);
  });

  it('the owner gets in with the shared pool full, and at its own cap replaces only its own idle session', () => {
    const clock = { t: 0 };
    const { t, add } = table(clock);
    const others = [add(pub('1.1.1.1')), add(pub('2.2.2.2')), add({ endpoint: 'kernel', caller: 'principal:tok_x', owner: false, public: false })];
    const first = add(OWNER) as { id: string; closed: boolean };
    const second = add(OWNER) as { id: string };
    assert.equal(first.closed, true);
    assert.equal(t.get(first.id), undefined);
    assert.ok(t.get(second.id));
    for (const o of others) assert.equal((o as { closed: boolean }).closed, false);
  });

  it('sweeps only sessions idle past idleMs and not in use', () => {
    const clock = { t: 0 };
    const { t, add } = table(clock);
    const idle = add(pub('1.1.1.1')) as TableEntry & { closed: boolean };
    const busy = add(pub('2.2.2.2')) as TableEntry & { closed: boolean };
    t.begin(busy);
    assert.equal(t.sweep(59_999), 0);
    assert.equal(t.sweep(60_001), 1);
    assert.equal(idle.closed, true);
    assert.equal(busy.closed, false);
    assert.equal(t.size, 1);
  });
});
