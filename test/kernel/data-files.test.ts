import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { currentCode } from '../../src/auth/totp.js';
import { spawn } from 'node:child_process';
import { BIN } from '../helpers/paths.js';
import { runCli, spawnServer, startServer, type CliResult } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

const mode = (p: string) => statSync(p).mode & 0o777;

/** `fazt server start` expected to refuse; should it start after all, it is stopped so the test fails instead of hanging. */
function startExpectingRefusal(dataDir: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'server', 'start', '--port', '0', '--no-example', '--data', dataDir], {
      env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (/running at/.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

test('every file fazt writes in the data dir is 0600, whatever the umask', async () => {
  delete process.env.FAZT_MASTER_KEY;
  const previous = process.umask(0o022);
  const tmp = tempDir();
  try {
    const s = await startServer({ dataDir: tmp.dir });
    try {
      // TOTP needs the secrets store, so master.key is written too.
      const en = await s.op('auth.totp.enable', {}, { human: true });
      assert.equal(en.status, 200, JSON.stringify(en.body));
      await s.op('auth.totp.confirm', { code: currentCode(en.body.secret, 'localhost') }, { human: true });
      const files = readdirSync(tmp.dir);
      for (const f of ['data.db', 'data.db-wal', 'data.db-shm', 'client.json', 'master.key']) assert.ok(files.includes(f), `${f} exists (${files.join(', ')})`);
      for (const f of files) assert.equal(mode(join(tmp.dir, f)).toString(8), '600', `${f} is 0600`);
    } finally {
      await s.close();
    }
  } finally {
    process.umask(previous);
    tmp.cleanup();
  }
});

test('a data.db left world-readable by an earlier version is made 0600 on start', async () => {
  const previous = process.umask(0o022);
  const tmp = tempDir();
  try {
    new Database(join(tmp.dir, 'data.db')).close();
    chmodSync(join(tmp.dir, 'data.db'), 0o644);
    const s = await startServer({ dataDir: tmp.dir });
    try {
      for (const f of ['data.db', 'data.db-wal', 'data.db-shm']) assert.equal(mode(join(tmp.dir, f)).toString(8), '600', `${f} is 0600`);
    } finally {
      await s.close();
    }
  } finally {
    process.umask(previous);
    tmp.cleanup();
  }
});

test('a data dir others can read or write is refused, naming the dir, its mode and the fix; nothing is created', async () => {
  const tmp = tempDir();
  try {
    for (const m of [0o755, 0o770, 0o702]) {
      chmodSync(tmp.dir, m);
      const r = await startExpectingRefusal(tmp.dir);
      assert.doesNotMatch(r.stdout, /running at/);
      assert.notEqual(r.code, 0);
      assert.ok(r.stderr.includes(tmp.dir), r.stderr);
      assert.ok(r.stderr.includes(`0${m.toString(8)}`), r.stderr);
      assert.ok(r.stderr.includes(`chmod 700 ${tmp.dir}`), r.stderr);
      assert.match(r.stderr, /--insecure-permissions/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.ok(!existsSync(join(tmp.dir, 'data.db')), 'no data.db was created');
    }
    chmodSync(tmp.dir, 0o755);
    const s = await spawnServer(tmp.dir, ['--no-example', '--insecure-permissions']);
    try {
      assert.ok(existsSync(join(tmp.dir, 'client.json')));
    } finally {
      await s.stop();
    }
  } finally {
    chmodSync(tmp.dir, 0o700);
    tmp.cleanup();
  }
});

test('the data dir is created 0700 when it does not exist yet', async () => {
  const tmp = tempDir();
  const dir = join(tmp.dir, 'new', 'fazt');
  const previous = process.umask(0o022);
  try {
    const s = await startServer({ dataDir: dir });
    await s.close();
    assert.equal(mode(dir).toString(8), '700');
  } finally {
    process.umask(previous);
    tmp.cleanup();
  }
});

test('files in the data dir that fazt did not write are left as they were', async () => {
  const tmp = tempDir();
  try {
    writeFileSync(join(tmp.dir, 'notes.txt'), 'mine', { mode: 0o644 });
    const s = await startServer({ dataDir: tmp.dir });
    await s.close();
    assert.equal(mode(join(tmp.dir, 'notes.txt')).toString(8), '644');
  } finally {
    tmp.cleanup();
  }
});

test('mcp start --stdio refuses to serve an open data dir directly, the same way', async () => {
  const tmp = tempDir();
  try {
    chmodSync(tmp.dir, 0o755);
    const r = await runCli(['mcp', 'start', '--stdio'], { dataDir: tmp.dir, input: '' });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.stderr.includes(`chmod 700 ${tmp.dir}`), r.stderr);
    assert.match(r.stderr, /--insecure-permissions/);
    assert.ok(!existsSync(join(tmp.dir, 'data.db')), 'no data.db was created');
  } finally {
    chmodSync(tmp.dir, 0o700);
    tmp.cleanup();
  }
});
