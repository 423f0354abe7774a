import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { readClientConfig } from '../../src/server/client-config.js';
import { fetchWithHost, killHard, spawnServer, type SpawnedServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

async function op(url: string, token: string, name: string, input: unknown) {
  const res = await fetch(`${url}/api/ops/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as any };
}


async function assertV1Serving(dataDir: string): Promise<SpawnedServer> {
  const srv = await spawnServer(dataDir, ['--no-example']);
  const { token } = readClientConfig(dataDir)!;
  const page = await fetchWithHost(srv.url, '/', 'site.localhost');
  assert.equal(page.status, 200);
  assert.equal(await page.text(), 'version one');
  const versions = await op(srv.url, token, 'deploy.versions', { app: 'site' });
  assert.equal(versions.body.activeVersion, 1);
  assert.ok(versions.body.versions.every((v: { status: string }) => v.status !== 'pending'), JSON.stringify(versions.body));
  return srv;
}

describe('a crash mid-deploy leaves the previous version serving', () => {
  const tmp = tempDir();
  const running: SpawnedServer[] = [];
  after(async () => {
    for (const s of running) await killHard(s);
    tmp.cleanup();
  });

  it('kill -9 during the upload', async () => {
    const dataDir = join(tmp.dir, 'upload');
    const srv = await spawnServer(dataDir, ['--no-example']);
    running.push(srv);
    const { token } = readClientConfig(dataDir)!;
    assert.equal((await op(srv.url, token, 'deploy', { app: 'site', files: [{ path: 'index.html', content: 'version one' }] })).status, 200);

    const body = Buffer.from(JSON.stringify({ app: 'site', files: [{ path: 'index.html', content: 'version two' + 'x'.repeat(4_000_000) }] }));
    const u = new URL(srv.url);
    const req = request({
      hostname: u.hostname,
      port: u.port,
      path: '/api/ops/deploy',
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': body.length },
    });
    req.on('error', () => {});
    req.write(body.subarray(0, body.length / 2));
    await sleep(200);
    await killHard(srv);
    req.destroy();

    const again = await assertV1Serving(dataDir);
    running.push(again);
    await again.stop();
  });

  it('kill -9 after the new version is stored as pending but before it goes live', async () => {
    const dataDir = join(tmp.dir, 'pending');
    const srv = await spawnServer(dataDir, ['--no-example']);
    running.push(srv);
    const { token } = readClientConfig(dataDir)!;
    assert.equal((await op(srv.url, token, 'deploy', { app: 'site', files: [{ path: 'index.html', content: 'version one' }] })).status, 200);

    const files = Array.from({ length: 15_000 }, (_, i) => ({ path: `p/${i}.html`, content: `<p>page ${i}</p>`.repeat(20) }));
    files.push({ path: 'index.html', content: 'version two' });
    const deploying = op(srv.url, token, 'deploy', { app: 'site', files }).catch(() => null);
    // Watch the database from outside, as an operator would, and pull the plug
    // as soon as the half-written version exists.
    const watch = new Database(join(dataDir, 'data.db'), { readonly: true, fileMustExist: true });
    let sawPending = false;
    try {
      for (let i = 0; i < 20_000 && !sawPending; i++) {
        sawPending = !!watch.prepare("SELECT 1 FROM app_versions WHERE status = 'pending'").get();
        if (!sawPending) await sleep(1);
      }
    } finally {
      watch.close();
    }
    assert.ok(sawPending, 'the deploy reached the pending state');
    await killHard(srv);
    await deploying;

    const again = await assertV1Serving(dataDir);
    running.push(again);
    const versions = await op(again.url, token, 'deploy.versions', { app: 'site' });
    const v2 = versions.body.versions.find((v: { version: number }) => v.version === 2);
    assert.equal(v2.status, 'failed');
    assert.match(v2.error, /interrupted/);
    await again.stop();
    const db = new Database(join(dataDir, 'data.db'), { readonly: true });
    try {
      const orphans = db.prepare('SELECT COUNT(*) AS n FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM version_files)').get() as { n: number };
      assert.equal(orphans.n, 0, 'content of the interrupted deploy is collected');
      const files2 = db.prepare('SELECT COUNT(*) AS n FROM version_files WHERE version = 2').get() as { n: number };
      assert.equal(files2.n, 0);
    } finally {
      db.close();
    }
  });
});

describe('a crash while a deploy runs as a task', () => {
  const tmp = tempDir();
  const running: SpawnedServer[] = [];
  after(async () => {
    for (const s of running) await killHard(s);
    tmp.cleanup();
  });

  it('kill -9 mid-way: after the restart the task is failed as interrupted and no version was added', async () => {
    const dataDir = join(tmp.dir, 'task');
    const srv = await spawnServer(dataDir, ['--no-example']);
    running.push(srv);
    const { token } = readClientConfig(dataDir)!;
    assert.equal((await op(srv.url, token, 'deploy', { app: 'site', files: [{ path: 'index.html', content: 'version one' }] })).status, 200);

    const files = Array.from({ length: 20_000 }, (_, i) => ({ path: `f/${i}.txt`, content: `two ${i}` }));
    const res = await fetch(`${srv.url}/api/ops/deploy`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'respond-async' },
      body: JSON.stringify({ app: 'site', files }),
    });
    assert.equal(res.status, 202);
    const { taskId } = (await res.json()) as { taskId: string };
    // The task answered once it began storing; it has thousands of files to go.
    await killHard(srv);

    const again = await assertV1Serving(dataDir);
    running.push(again);
    const t = await op(again.url, token, 'tasks.get', { id: taskId });
    assert.equal(t.body.status, 'failed', JSON.stringify(t.body));
    assert.equal(t.body.error.code, 'INTERRUPTED');
    assert.match(t.body.error.message, /server stopped while this task was running/);
    const versions = await op(again.url, token, 'deploy.versions', { app: 'site' });
    assert.deepEqual(versions.body.versions.map((v: { version: number; status: string }) => [v.version, v.status]).filter(([, s]: [number, string]) => s !== 'failed'), [[1, 'ready']]);
  });
});
