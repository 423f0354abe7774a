import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { z } from 'zod';
import { Kernel } from '../../src/kernel/kernel.js';
import { allModules } from '../../src/kernel/modules.js';
import type { KernelModule } from '../../src/kernel/module.js';
import { defineOp, type Caller } from '../../src/kernel/ops/define.js';
import { OpError } from '../../src/kernel/ops/errors.js';
import { tempDir } from '../helpers/temp.js';

let runs = 0;

/** Resumable: its first run lasts until the server stops; the run after the restart finishes. */
const resumable = defineOp({
  name: 'test.resumable',
  title: 'Resumable work',
  description: 'Works until stopped the first time, then finishes (test op).',
  input: z.object({ step: z.string() }),
  output: z.object({ runs: z.number(), step: z.string() }),
  requires: 'kernel:apps:write',
  risk: 'write',
  longRunning: true,
  resumable: true,
  handler: async ({ signal }, { step }) => {
    runs++;
    if (runs === 1) {
      await new Promise((resolve) => signal!.addEventListener('abort', resolve, { once: true }));
      throw new OpError('CANCELED', 'stopped');
    }
    return { runs, step };
  },
});

const plain = defineOp({ ...resumable, name: 'test.plain', resumable: false, handler: ({ signal }) => new Promise((_r, reject) => signal!.addEventListener('abort', () => reject(new OpError('CANCELED', 'stopped')), { once: true })) });
const testModule: KernelModule = { name: 'resume-test', ops: [resumable, plain] };
const owner: Caller = { kind: 'owner', name: 'owner', caps: ['kernel:*'], human: true };

describe('tasks across a restart of the kernel', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  it('runs a resumable op again with its stored input, and fails one that is not', async () => {
    let k = new Kernel([...allModules(), testModule], { dataDir: tmp.dir });
    await k.start();
    const a = await k.services.tasks.start(owner, 'test.resumable', { step: 'copy' }, { surface: 'cli' });
    const b = await k.services.tasks.start(owner, 'test.plain', { step: 'copy' }, { surface: 'cli' });
    assert.equal(a.status, 'working');
    await k.stop();

    k = new Kernel([...allModules(), testModule], { dataDir: tmp.dir });
    await k.start();
    try {
      const done = await k.services.tasks.result(owner, a.id, 10_000);
      assert.equal(done.status, 'completed', JSON.stringify(done));
      assert.deepEqual(done.result, { runs: 2, step: 'copy' });
      const failed = k.services.tasks.get(owner, b.id);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error?.code, 'INTERRUPTED');
    } finally {
      await k.stop();
    }
  });
});
