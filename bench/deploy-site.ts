/**
 * Deploy costs, over the real HTTP surface of an in-process server:
 * a 1,000-file site deploy, an unchanged redeploy (bytes added to the blob
 * store should be ~0), and rollback time for a 10-file vs a 1,000-file app
 * (a pointer switch: the ratio should be ~1).
 *
 *   node dist/bench/deploy-site.js [files=1000]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootServer } from '../src/server/boot.js';
import { readClientConfig } from '../src/server/client-config.js';
import { table } from './static-throughput-table.js';

const N = Number(process.argv[2] ?? 1000);

function site(n: number, salt: string) {
  return Array.from({ length: n }, (_, i) => ({
    path: i === 0 ? 'index.html' : `pages/${Math.floor(i / 100)}/p${i}.html`,
    content: `<!doctype html><title>${salt} ${i}</title><p>${randomBytes(600).toString('base64')}</p>`,
  }));
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fazt-bench-'));
  const s = await bootServer({ port: 0, dataDir: dir, seedExample: false, rateLimitPerMinute: 0 });
  const token = readClientConfig(dir)!.token;
  const op = async (name: string, input: unknown) => {
    const res = await fetch(`${s.url}/api/ops/${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = (await res.json()) as any;
    if (res.status !== 200) throw new Error(`${name}: ${JSON.stringify(body)}`);
    return body;
  };
  const blobBytes = () => (s.kernel.db.prepare('SELECT COALESCE(SUM(size), 0) AS n FROM blobs').get() as { n: number }).n;
  const time = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
    const t = performance.now();
    const r = await fn();
    return [performance.now() - t, r];
  };

  try {
    const big = site(N, 'big');
    const payload = JSON.stringify({ app: 'big', files: big }).length;
    const [tDeploy] = await time(() => op('deploy', { app: 'big', files: big }));
    const before = blobBytes();
    const [tRedeploy, re] = await time(() => op('deploy', { app: 'big', files: big }));
    const added = blobBytes() - before;

    await op('deploy', { app: 'small', files: site(10, 'small-a') });
    await op('deploy', { app: 'small', files: site(10, 'small-b') });
    const rollbackMs = async (app: string, rounds: number) => {
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const [t] = await time(() => op('deploy.rollback', { app, version: i % 2 === 0 ? 1 : 2 }));
        times.push(t);
      }
      times.sort((a, b) => a - b);
      return times[Math.floor(times.length / 2)];
    };
    await rollbackMs('small', 20);
    await rollbackMs('big', 20);
    const rSmall = await rollbackMs('small', 200);
    const rBig = await rollbackMs('big', 200);

    console.log(`deploy benchmark: ${N}-file site (${(payload / 1024 / 1024).toFixed(2)} MB of JSON), HTTP surface, ${process.version}`);
    table([
      ['measure', 'value'],
      [`deploy ${N} files`, `${tDeploy.toFixed(0)} ms`],
      [`redeploy unchanged`, `${tRedeploy.toFixed(0)} ms`],
      ['bytes added by unchanged redeploy', `${added} (op reports newBytes=${re.newBytes})`],
      ['rollback, 10-file app (median of 200)', `${rSmall.toFixed(2)} ms`],
      [`rollback, ${N}-file app (median of 200)`, `${rBig.toFixed(2)} ms`],
      [`rollback ratio ${N}-file / 10-file`, (rBig / rSmall).toFixed(2)],
    ]);
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
