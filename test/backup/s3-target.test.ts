import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { S3_KEYS, startS3 } from '../helpers/s3-server.js';
import { startSigV4Proxy } from '../helpers/sigv4-proxy.js';
import { killHard, runCli, spawnServer, startServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';
import { readClientConfig } from '../../src/server/client-config.js';

const names = (xs: { id: string }[]) => xs.map((x) => x.id);

test('S3 target (s3rver loopback): upload in parts, list, GFS pruning, download and restore by id', async () => {
  const s3 = await startS3();
  const s = await startServer();
  try {
    // Random bytes do not compress: the archive passes the 8 MiB part size and goes up in parts.
    const files = [{ path: 'index.html', content: '<h1>s3</h1>' }, { path: 'noise.bin', content: randomBytes(10 * 1024 * 1024).toString('base64'), encoding: 'base64' }];
    assert.equal((await s.op('deploy', { app: 'cloud', files })).status, 200);
    assert.equal((await s.op('storage.kv.set', { app: 'cloud', key: 'kept', value: 42 })).status, 200);
    const cfg = await s.op('backup.configure', { target: { type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, prefix: 'node1/', ...S3_KEYS }, keep: { last: 2, daily: 0, weekly: 0, monthly: 0 } });
    assert.equal(cfg.status, 200, JSON.stringify(cfg.body));
    assert.equal(cfg.body.hasCredentials, true);
    assert.ok(!JSON.stringify(cfg.body).includes('secretAccessKey'), 'credentials never come back');
    assert.ok(!s.kernel.db.prepare("SELECT value FROM settings WHERE key = 'backup.config'").pluck().get()!.toString().includes('S3RVER'));

    const first = await s.op('backup.create', { note: 'one' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.location, `${s3.endpoint}/${s3.bucket}/node1/${first.body.id}.faztbak`);
    const key = `/${s3.bucket}/node1/${first.body.id}.faztbak`;
    const calls = s3.requests.filter((r) => r.url.startsWith(key)).map((r) => `${r.method} ${r.url.slice(key.length)}`);
    assert.equal(calls[0], 'POST ?uploads');
    assert.ok(calls.some((c) => /^PUT \?partNumber=2&uploadId=/.test(c)), calls.join('\n'));
    assert.match(calls.at(-1)!, /^POST \?uploadId=/);
    // The manifest is written after the archive is complete.
    const order = s3.requests.map((r) => r.url);
    assert.ok(order.indexOf(`/${s3.bucket}/node1/${first.body.id}.json`) > order.findIndex((u) => u.startsWith(key + '?uploadId=') && u === order.filter((x) => x.startsWith(key + '?uploadId=')).at(-1)));

    const second = await s.op('backup.create', { note: 'two' });
    const third = await s.op('backup.create', { note: 'three' });
    assert.equal(third.status, 200, JSON.stringify(third.body));
    const list = await s.op('backup.list', {});
    assert.deepEqual(names(list.body.backups), [third.body.id, second.body.id], 'keep.last=2 pruned the oldest');
    assert.ok(s3.requests.some((r) => r.method === 'DELETE' && r.url === `/${s3.bucket}/node1/${first.body.id}.faztbak`));

    const v = await s.op('backup.verify', {});
    assert.equal(v.status, 200, JSON.stringify(v.body));
    assert.equal(v.body.id, third.body.id);
    assert.ok(s3.requests.some((r) => r.method === 'GET' && r.url === `/${s3.bucket}/node1/${third.body.id}.faztbak`));

    // Rebuild: the server stops, its data is lost, and the backup comes back from the bucket by id.
    await s.stop();
    const db = new Database(join(s.dataDir, 'data.db'));
    db.prepare("DELETE FROM app_kv").run();
    db.close();
    const r = await runCli(['backup', 'restore', second.body.id, '--yes', '--json'], { dataDir: s.dataDir });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.id, second.body.id);
    assert.ok(out.replaced && existsSync(out.replaced), 'the replaced database is kept');
    const back = new Database(join(s.dataDir, 'data.db'), { readonly: true });
    assert.equal(back.prepare("SELECT value FROM app_kv WHERE key = 'kept'").pluck().get(), '42');
    back.close();
  } finally {
    await s.close().catch(() => {});
    await s3.close();
  }
});

test('S3 target with wrong credentials gives a clear error and records the failure', async () => {
  const s3 = await startS3();
  const s = await startServer();
  try {
    const cfg = await s.op('backup.configure', { target: { type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, accessKeyId: 'NOT-A-KEY', secretAccessKey: 'nope' } });
    assert.equal(cfg.status, 200);
    const events: string[] = [];
    s.kernel.events.on('system.backup.*', (e) => events.push(e.type));
    const b = await s.op('backup.create', {});
    assert.equal(b.status, 502);
    assert.equal(b.body.error.code, 'BACKUP_TARGET_AUTH');
    assert.match(b.body.error.message, /S3 refused the credentials for bucket 'fazt-backups' \(InvalidAccessKeyId/);
    assert.ok(!b.body.error.message.includes('nope'));
    assert.deepEqual(events, ['system.backup.failed']);
    const st = await s.op('backup.status', {});
    assert.match(st.body.lastError, /refused the credentials/);
    const missingBucket = await s.op('backup.configure', { target: { type: 's3', endpoint: s3.endpoint, bucket: 'no-such-bucket', ...S3_KEYS } });
    assert.equal(missingBucket.status, 200);
    const l = await s.op('backup.list', {});
    assert.equal(l.body.error.code, 'NOT_FOUND');
    assert.match(l.body.error.message, /bucket 'no-such-bucket' does not exist/);
    // The local backups folder holds nothing half made.
    assert.deepEqual(readdirSync(join(s.dataDir, 'backups', '.work')), []);
  } finally {
    await s.close();
    await s3.close();
  }
});

test('kill -9 during an S3 upload: nothing half uploaded is listed, and the next run starts clean', async () => {
  const s3 = await startS3();
  const dir = tempDir();
  let srv = await spawnServer(dir.dir);
  try {
    const { token } = readClientConfig(dir.dir)!;
    const op = (url: string, name: string, input: unknown) =>
      fetch(`${url}/api/ops/${name}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const noise = randomBytes(24 * 1024 * 1024).toString('base64');
    assert.equal((await op(srv.url, 'deploy', { app: 'heavy', files: [{ path: 'noise.bin', content: noise, encoding: 'base64' }] })).status, 200);
    assert.equal((await op(srv.url, 'backup.configure', { target: { type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, ...S3_KEYS } })).status, 200);
    void op(srv.url, 'backup.create', { note: 'interrupted' }).catch(() => {});
    // The server records the multipart upload id before its first part: kill it as soon as it does.
    const reader = new Database(join(dir.dir, 'data.db'), { readonly: true });
    let pending: { name: string; uploadId: string }[] = [];
    const until = Date.now() + 60_000;
    while (!pending.length && Date.now() < until) {
      const raw = reader.prepare("SELECT value FROM settings WHERE key = 'backup.state'").pluck().get() as string | undefined;
      pending = raw ? (JSON.parse(raw).pendingUploads ?? []) : [];
      if (!pending.length) await new Promise((r) => setTimeout(r, 2));
    }
    await killHard(srv);
    reader.close();
    assert.equal(pending.length, 1, 'the upload was under way when the server died');
    const killedId = pending[0].name.replace('.faztbak', '');

    srv = await spawnServer(dir.dir);
    const before = await op(srv.url, 'backup.list', {});
    assert.equal(before.status, 200);
    assert.deepEqual(before.body.backups, [], 'no half-made backup is listed');
    assert.ok(readdirSync(join(dir.dir, 'backups', '.work')).length > 0, 'the killed run left its scratch files');
    const again = await op(srv.url, 'backup.create', { note: 'after the crash' });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.deepEqual(readdirSync(join(dir.dir, 'backups', '.work')), [], 'and the next run cleared them');
    const after = await op(srv.url, 'backup.list', {});
    assert.deepEqual(names(after.body.backups), [again.body.id]);
    assert.ok(!s3.requests.some((r) => r.url === `/${s3.bucket}/${killedId}.json`), 'the killed backup never got a manifest');
    // The leftover upload was aborted (s3rver cannot abort: it answers 405, and never lists the parts).
    assert.ok(s3.requests.some((r) => r.method === 'DELETE' && r.url === `/${s3.bucket}/${pending[0].name}?uploadId=${pending[0].uploadId}`));
    const st = await op(srv.url, 'backup.status', {});
    assert.equal(st.body.lastGoodId, again.body.id);
    const v = await op(srv.url, 'backup.verify', {});
    assert.equal(v.status, 200, JSON.stringify(v.body));
  } finally {
    await srv.stop();
    dir.cleanup();
    await s3.close();
  }
});

test('S3 behind a SigV4-verifying front: the right secret signs every call (parts too), a wrong secret is refused by name', async () => {
  const s3 = await startS3();
  const front = await startSigV4Proxy(s3.endpoint, { [S3_KEYS.accessKeyId]: S3_KEYS.secretAccessKey });
  const s = await startServer();
  try {
    const files = [{ path: 'noise.bin', content: randomBytes(9 * 1024 * 1024).toString('base64'), encoding: 'base64' }];
    assert.equal((await s.op('deploy', { app: 'signed', files })).status, 200);
    assert.equal((await s.op('backup.configure', { target: { type: 's3', endpoint: front.endpoint, bucket: s3.bucket, region: 'eu-central-1', ...S3_KEYS } })).status, 200);
    const ok = await s.op('backup.create', {});
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(front.rejected, 0);
    assert.ok(s3.requests.some((r) => /\?partNumber=2&uploadId=/.test(r.url)), 'went up in parts');
    assert.equal((await s.op('backup.verify', {})).status, 200);

    assert.equal((await s.op('backup.configure', { target: { type: 's3', endpoint: front.endpoint, bucket: s3.bucket, accessKeyId: S3_KEYS.accessKeyId, secretAccessKey: 'not-the-secret' } })).status, 200);
    const bad = await s.op('backup.create', {});
    assert.equal(bad.status, 502);
    assert.equal(bad.body.error.code, 'BACKUP_TARGET_AUTH');
    assert.match(bad.body.error.message, /S3 refused the credentials for bucket 'fazt-backups' \(SignatureDoesNotMatch/);
    assert.ok(!bad.body.error.message.includes('not-the-secret'));
    assert.ok(front.rejected > 0);
    const list = await s.op('backup.list', {});
    assert.equal(list.body.error.code, 'BACKUP_TARGET_AUTH');
  } finally {
    await s.close();
    await front.close();
    await s3.close();
  }
});
