import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SESSION_LIMITS, sessionLimitsFromConfig } from './session-limits.js';

describe('sessionLimitsFromConfig', () => {
  it('reads counts and durations, keeping defaults for the rest', () => {
    const l = sessionLimitsFromConfig({ 'mcp.sessions.perCaller': '3', 'mcp.sessions.idle': '2m', 'mcp.sessions.sweep': '5s' });
    assert.deepEqual(l, { ...DEFAULT_SESSION_LIMITS, perCaller: 3, idleMs: 120_000, sweepMs: 5000 });
    assert.equal(DEFAULT_SESSION_LIMITS.idleMs, 600_000, 'idle sessions live minutes, not an hour');
  });

  it('refuses values that would disable a limit or spin the sweep', () => {
    for (const [k, v] of [['mcp.sessions.max', '0'], ['mcp.sessions.owner', '2.5'], ['mcp.sessions.perCaller', 'lots'], ['mcp.sessions.idle', '10'], ['mcp.sessions.sweep', '100ms']]) {
      assert.throws(() => sessionLimitsFromConfig({ [k]: v }), new RegExp(k.replace(/\./g, '\\.')));
    }
  });
});
