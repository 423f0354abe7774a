import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readClientConfig } from '../../src/server/client-config.js';
import { spawnServer, type SpawnedServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

async function op(url: string, token: string, name: string, input: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/ops/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

function killHard(srv: SpawnedServer): Promise<void> {
  return new Promise((resolve) => {
    if (srv.child.exitCode !== null || srv.child.signalCode !== null) return resolve();
    srv.child.once('exit', () => resolve());
    srv.child.kill('SIGKILL');
  });
}

/**
 * Writers keep storing while the server is killed with SIGKILL; after a
 * restart, every write that was acknowledged must be there, whole.
 */
describe('kill -9 during writes loses no acknowledged write', () => {
  const tmp = tempDir();
  const running: SpawnedServer[] = [];
  after(async () => {
    for (const s of running) await killHard(s);
    tmp.cleanup();
  });

  for (const round of [1, 2, 3]) {
    it(`round ${round}: kv and document writes from 8 writers`, async () => {
      const dataDir = join(tmp.dir, `round-${round}`);
      const srv = await spawnServer(dataDir, ['--no-example']);
      running.push(srv);
      const { token } = readClientConfig(dataDir)!;
      assert.equal((await op(srv.url, token, 'apps.create', { name: 'store' })).status, 200);

      const acked: { kind: 'kv' | 'ds'; key: string; value: string }[] = [];
      let stop = false;
      const writer = async (w: number) => {
        for (let i = 0; !stop && i < 2_000; i++) {
          const key = `w${w}-${i}`;
          const value = `${key}:${'x'.repeat(i % 50)}`;
          const kind = i % 2 ? 'kv' : 'ds';
          try {
            const r = kind === 'kv'
              ? await op(srv.url, token, 'storage.kv.set', { app: 'store', key, value })
              : await op(srv.url, token, 'storage.ds.insert', { app: 'store', collection: 'docs', doc: { key, value } });
            if (r.status === 200) acked.push({ kind, key, value });
          } catch {
            return; // the server is gone
          }
        }
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      while (acked.length < 150 * round) await new Promise((r) => setTimeout(r, 5));
      await killHard(srv);
      stop = true;
      await Promise.all(writers);

      const again = await spawnServer(dataDir, ['--no-example']);
      running.push(again);
      const missing: string[] = [];
      const stored = new Map<string, string>();
      for (let skip = 0; ; skip += 1_000) {
        const page = await op(again.url, token, 'storage.ds.query', { app: 'store', collection: 'docs', query: {}, limit: 1_000, skip });
        assert.equal(page.status, 200, JSON.stringify(page.body));
        for (const d of page.body.docs as { key: string; value: string }[]) stored.set(d.key, d.value);
        if (page.body.docs.length < 1_000) break;
      }
      for (const a of acked) {
        if (a.kind === 'ds') {
          if (stored.get(a.key) !== a.value) missing.push(a.key);
        } else {
          const r = await op(again.url, token, 'storage.kv.get', { app: 'store', key: a.key });
          if (r.body?.value !== a.value) missing.push(a.key);
        }
      }
      assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged writes lost`);
      await again.stop();
    });
  }
});
