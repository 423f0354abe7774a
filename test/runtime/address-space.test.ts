import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readClientConfig } from '../../src/server/client-config.js';
import { fetchWithHost, spawnServer, type SpawnedServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

/**
 * 8 GB: less than the address space V8 reserves for one guard-paged
 * WebAssembly memory. A machine already held to less keeps its own limit
 * (`ulimit -v` cannot raise it).
 */
const LIMIT_KB = Math.min(8_000_000, currentLimitKb());

function currentLimitKb(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max address space')) ?? '';
    const soft = line.slice('Max address space'.length).trim().split(/\s+/)[0];
    return soft === 'unlimited' || !soft ? Infinity : Math.floor(Number(soft) / 1024);
  } catch {
    return Infinity;
  }
}

describe('runtime under an address-space limit (ulimit -v)', () => {
  const tmp = tempDir();
  let srv: SpawnedServer | undefined;
  after(async () => {
    await srv?.stop();
    tmp.cleanup();
  });

  it('runs many apps\' sandboxes, deploy checks included', async () => {
    const dataDir = join(tmp.dir, 'limited');
    srv = await spawnServer(dataDir, ['--no-example'], { addressSpaceKb: LIMIT_KB });
    const { token } = readClientConfig(dataDir)!;
    const slugs = ['one', 'two', 'three', 'four', 'five', 'six'];
    for (const slug of slugs) {
      const res = await fetch(`${srv.url}/api/ops/deploy`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ app: slug, files: [{ path: 'api/main.js', content: `export default () => ({ body: { app: "${slug}", big: new Uint8Array(4e6).length } })` }] }),
      });
      assert.equal(res.status, 200, await res.text());
    }
    for (const slug of [...slugs, ...slugs]) {
      const res = await fetchWithHost(srv.url, '/api/x', `${slug}.localhost`);
      assert.equal(res.status, 200, srv.output());
      assert.deepEqual(await res.json(), { app: slug, big: 4e6 });
    }
  });
});
