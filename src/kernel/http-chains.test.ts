import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { tempDir } from '../../test/helpers/temp.js';
import { coreModule } from './core-module.js';
import { Kernel, type HttpHandler } from './kernel.js';

const tmp = tempDir();
after(() => tmp.cleanup());

test('each host kind gets its own chain in priority order; a route without a kind is in both', () => {
  const k = new Kernel([coreModule], { dataDir: `${tmp.dir}/k` });
  const named = (name: string): HttpHandler => Object.defineProperty(() => false, 'name', { value: name });
  k.useHttp(50, named('app-api'), undefined, 'app');
  k.useHttp(10, named('kernel-api'), undefined, 'kernel');
  k.useHttp(100, named('files'));
  k.useHttp(0, named('challenges'));
  const names = (kind: 'app' | 'kernel') => k.httpFor(kind).map((r) => r.handler.name);
  assert.deepEqual(names('app').filter((n) => ['app-api', 'kernel-api', 'files', 'challenges'].includes(n)), ['challenges', 'app-api', 'files']);
  assert.deepEqual(names('kernel').filter((n) => ['app-api', 'kernel-api', 'files', 'challenges'].includes(n)), ['challenges', 'kernel-api', 'files']);
});
