import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capabilityProblem, covers, holds, holdsAny, isValidCapability, kernelAreas, mayEverHold } from './capabilities.js';

test('capability matrix: held × needed', () => {
  const cases: [string, string, boolean][] = [
    ['kernel:*', 'kernel:apps:write', true],
    ['kernel:*', 'kernel:apps:read', true],
    ['kernel:*', 'app:app_1:read', false],
    ['kernel:apps:*', 'kernel:apps:write', true],
    ['kernel:apps:*', 'kernel:storage:read', false],
    ['kernel:apps:read', 'kernel:apps:read', true],
    ['kernel:apps:read', 'kernel:apps:write', false],
    ['kernel:apps:read', 'kernel:apps:readonly', false],
    ['app:app_1:*', 'app:app_1:read', true],
    ['app:app_1:*', 'app:app_1:write', true],
    ['app:app_1:*', 'app:app_12:read', false],
    ['app:app_1:read', 'app:app_1:write', false],
    ['app:*', 'app:app_9:write', true],
    ['*', 'kernel:infra:vps:create', true],
    ['kernel:storage:*', 'kernel:storage:write', true],
  ];
  for (const [held, needed, want] of cases) assert.equal(covers(held, needed), want, `${held} covers ${needed}`);
});

test('app:<id>:* never covers a longer id that shares the prefix', () => {
  assert.equal(holds(['app:app_1:*'], 'app:app_1x:read'), false);
});

test('holdsAny needs one of several', () => {
  assert.equal(holdsAny(['app:a:read'], ['kernel:storage:read', 'app:a:read']), true);
  assert.equal(holdsAny(['app:b:read'], ['kernel:storage:read', 'app:a:read']), false);
});

test('mayEverHold decides visibility before input exists', () => {
  assert.equal(mayEverHold(['app:app_1:read'], 'app:{app}:read'), true);
  assert.equal(mayEverHold(['app:app_1:read'], 'app:{app}:write'), false);
  assert.equal(mayEverHold(['kernel:apps:read'], 'app:{app}:read'), false);
  assert.equal(mayEverHold(['kernel:*'], 'kernel:apps:write'), true);
  assert.equal(mayEverHold(['app:*'], 'app:{app}:write'), true);
  assert.equal(mayEverHold(['kernel:apps:read'], 'kernel:apps:write'), false);
});

test('capability syntax', () => {
  for (const ok of ['kernel:*', 'kernel:apps:read', 'app:app_12ab:*', '*']) assert.ok(isValidCapability(ok), ok);
  for (const bad of ['', 'kernel:*:read', 'kernel apps', 'kernel:', 'Kernel:apps', 'kernel:a*b']) assert.ok(!isValidCapability(bad), bad);
});

test('kernel areas come from what ops require', () => {
  assert.deepEqual(kernelAreas(['kernel:apps:read', 'app:{app}:read', 'kernel:storage:write', 'kernel:apps:write', 'authenticated']), ['apps', 'storage']);
});

test('a token capability must follow the grammar, naming the known areas', () => {
  const areas = ['apps', 'storage', 'pulse'];
  for (const ok of ['kernel:*', 'kernel:apps:read', 'kernel:apps:write', 'kernel:storage:*', 'app:*', 'app:app_12ab:*', 'app:app_12ab:read', 'app:blog:write']) {
    assert.equal(capabilityProblem(ok, areas), undefined, ok);
  }
  assert.match(capabilityProblem('kernel:app:read', areas)!, /unknown area 'app'.*apps, storage, pulse.*did you mean kernel:apps:read\?/);
  assert.match(capabilityProblem('kernel:apps:delete', areas)!, /read, write or \*/);
  assert.match(capabilityProblem('root:everything', areas)!, /kernel:\*.*app:<id>:read/);
  assert.match(capabilityProblem('*', areas)!, /kernel:\*/);
  assert.match(capabilityProblem('app:blog:admin', areas)!, /read, write or \*/);
  assert.ok(capabilityProblem('kernel:apps', areas));
  assert.ok(capabilityProblem('app:blog:read:extra', areas));
});
