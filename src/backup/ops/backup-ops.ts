import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { backupEntry, backupId, countsSchema, passphrase } from './schemas.js';

export const backupCreate = defineOp({
  name: 'backup.create',
  title: 'Back up everything',
  description:
    'Takes a consistent snapshot of data.db while serving (SQLite online backup), gzips it (AES-256-GCM encrypted with a passphrase when asked or configured), and stores it in the configured target (default <data>/backups). The master key is never included. Returns id, location, bytes, sha256 and the time taken.',
  input: z.object({
    note: z.string().max(200).optional().describe('A few words kept in the manifest'),
    passphrase: passphrase.optional(),
  }),
  output: backupEntry.extend({ ms: z.number(), dbBytes: z.number() }),
  requires: 'kernel:backup:write',
  risk: 'write',
  longRunning: true,
  cli: { command: ['backup', 'create'] },
  handler: ({ kernel, progress, signal }, input) => kernel.services.backup.create(input, progress, signal),
});

export const backupList = defineOp({
  name: 'backup.list',
  title: 'List backups',
  description: 'Backups in the configured target, newest first: id, time, size, sha256, whether encrypted, and where each lives.',
  input: z.object({}),
  output: z.object({ target: z.string(), backups: z.array(backupEntry) }),
  requires: 'kernel:backup:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['backup', 'list'] },
  handler: async ({ kernel }) => {
    const svc = kernel.services.backup;
    const target = svc.target();
    return { target: target.where, backups: await svc.list(target) };
  },
});

export const backupDelete = defineOp({
  name: 'backup.delete',
  title: 'Delete a backup',
  description: 'Deletes one backup from the target. It cannot be restored afterwards; a model calling it needs the owner to approve.',
  input: z.object({ id: backupId }),
  output: z.object({ deleted: z.literal(true), id: z.string() }),
  requires: 'kernel:backup:write',
  risk: 'destructive',
  describeHalt: (input) => `Delete backup ${input.id} (it cannot be restored afterwards).`,
  cli: { command: ['backup', 'delete'], positional: ['id'] },
  handler: async ({ kernel }, input) => {
    await kernel.services.backup.delete(input.id);
    return { deleted: true as const, id: input.id };
  },
});

export const backupVerify = defineOp({
  name: 'backup.verify',
  title: 'Verify a backup',
  description:
    'Restores a backup (default: the newest) into a temporary directory, checks its sha256 and PRAGMA integrity_check, upgrades its schema if older, and counts apps, versions, kv rows and documents. A backup that cannot be restored is not a backup.',
  input: z.object({ id: backupId.optional(), passphrase: passphrase.optional() }),
  output: z.object({ id: z.string(), ok: z.literal(true), upgraded: z.boolean(), counts: countsSchema, ms: z.number() }),
  requires: 'kernel:backup:read',
  risk: 'read',
  longRunning: true,
  cli: { command: ['backup', 'verify'], positional: ['id'] },
  handler: ({ kernel, progress, signal }, input) => kernel.services.backup.verify(input.id, input.passphrase, progress, signal),
});

export const backupRestore = defineOp({
  name: 'backup.restore',
  title: 'Restore a backup over the live data',
  description:
    'Replaces this server\'s data with a backup after verifying its checksum, integrity and schema (a newer schema is refused, an older one upgraded). The current database is kept as data.db.replaced-<time> first. Everything written since the backup is replaced; a model calling it needs the owner to approve. Restart the server afterwards.',
  input: z.object({ id: backupId, passphrase: passphrase.optional() }),
  output: z.object({ id: z.string(), replaced: z.string(), upgraded: z.boolean(), counts: countsSchema, restartRecommended: z.literal(true) }),
  requires: 'kernel:backup:write',
  risk: 'destructive',
  describeHalt: (input) => `Replace all of this server's data with backup ${input.id} (the current data is kept as a file beside data.db).`,
  cli: { command: ['backup', 'restore-live'], positional: ['id'] },
  handler: async ({ kernel, progress }, input) => {
    const svc = kernel.services.backup;
    const tmp = mkdtempSync(join(tmpdir(), 'fazt-restore-'));
    try {
      const archive = await svc.fetchArchive(input.id, tmp, progress);
      const r = await svc.restoreLive(archive, input.passphrase, progress);
      return { ...r, restartRecommended: true as const };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
});

export const backupStatus = defineOp({
  name: 'backup.status',
  title: 'Backup status',
  description: 'The backup schedule, retention and target (never credentials), with the last good backup, last failure and last verification.',
  input: z.object({}),
  output: z.object({
    every: z.string().nullable(),
    verifyEvery: z.string().nullable(),
    keep: z.object({ last: z.number(), daily: z.number(), weekly: z.number(), monthly: z.number() }),
    target: z.string(),
    targetType: z.enum(['local', 's3']),
    encrypt: z.boolean(),
    lastGoodAt: z.string().nullable(),
    lastGoodId: z.string().nullable(),
    lastFailureAt: z.string().nullable(),
    lastError: z.string().nullable(),
    lastVerifyAt: z.string().nullable(),
    lastVerifyOk: z.boolean().nullable(),
  }),
  requires: 'kernel:backup:read',
  risk: 'read',
  idempotent: true,
  cli: { command: ['backup', 'status'] },
  handler: ({ kernel }) => {
    const svc = kernel.services.backup;
    const c = svc.config();
    const s = svc.state();
    let where: string;
    try {
      where = svc.target().where;
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      where = `${c.target.type} (${err.message})`;
    }
    return {
      every: c.every,
      verifyEvery: c.verifyEvery,
      keep: c.keep,
      target: where,
      targetType: c.target.type,
      encrypt: c.encrypt,
      lastGoodAt: s.lastGoodAt ?? null,
      lastGoodId: s.lastGoodId ?? null,
      lastFailureAt: s.lastFailureAt ?? null,
      lastError: s.lastError ?? null,
      lastVerifyAt: s.lastVerifyAt ?? null,
      lastVerifyOk: s.lastVerifyOk ?? null,
    };
  },
});

