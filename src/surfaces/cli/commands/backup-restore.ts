import { flagString } from '../args.js';
import type { CliCommand } from '../command.js';
import { CliError, type CliContext } from '../context.js';

/** A server answering at the data dir's recorded URL: restoring under it must go through the server. */
async function liveServerUrl(dataDir: string): Promise<string | undefined> {
  const { readClientConfig } = await import('../../../server/client-config.js');
  const url = readClientConfig(dataDir)?.url;
  if (!url) return undefined;
  try {
    await fetch(new URL('/api/ops/server.info', url), { signal: AbortSignal.timeout(1500) });
    return url;
  } catch {
    return undefined;
  }
}

function progressPrinter(ctx: CliContext): (done: number, total: number, message?: string) => void {
  let last = -1;
  return (done, total, message) => {
    if (ctx.json || !total) return;
    const pct = Math.floor((done / total) * 100);
    if (pct === last || pct % 10 !== 0) return;
    last = pct;
    ctx.io.err(`${message ?? 'restoring'} ${pct}%`);
  };
}

export const backupRestoreCommand: CliCommand = {
  words: ['backup', 'restore'],
  summary: 'Restore a backup (id, file or URL) into a data dir',
  usage: `fazt backup restore <id|file|url> [--data DIR] [--passphrase P] [--yes] [--json]

Restores a backup into DIR (default ~/.fazt; a new dir is created). The archive's
sha256 and PRAGMA integrity_check are verified first; a backup from a newer fazt
schema is refused, an older one is upgraded through the migrations.

With no server running on DIR the files are restored directly; an existing data.db
is kept as data.db.replaced-<time> (with its -wal). With a server running on DIR,
the restore goes through it as op backup.restore (destructive: it asks you, or
becomes a halt for anyone else) and only backups in its target (by id) can be used.

Sources:
  bk-…          a backup id from the data dir's configured target (backup list)
  FILE          a .faztbak file
  http(s)://…   a URL (a presigned S3 link, a file server)

Options:
  --data DIR        data directory to restore into (default ~/.fazt; FAZT_DATA)
  --passphrase P    passphrase of an encrypted backup (or FAZT_BACKUP_PASSPHRASE)
  --yes             replace an existing data.db without asking
  --json            print {"id", "dataDir", "replaced", "upgraded", "counts"}`,
  flags: ['passphrase', 'yes'],
  async run(ctx, positionals) {
    if (positionals.length !== 1) throw new CliError("Give one backup: an id, a file or a URL. See 'fazt backup restore --help'.", 2);
    const source = positionals[0];
    const { defaultDataDir } = await import('../../../kernel/config.js');
    const dataDir = flagString(ctx.args.flags, 'data') ?? defaultDataDir();
    const passphrase = flagString(ctx.args.flags, 'passphrase') ?? (process.env.FAZT_BACKUP_PASSPHRASE || undefined);
    const live = await liveServerUrl(dataDir);
    if (live) {
      const { BACKUP_ID_RE } = await import('../../../backup/ids.js');
      if (!BACKUP_ID_RE.test(source)) {
        throw new CliError(`A server is running on ${dataDir} (${live}). Stop it to restore a file or URL there, or restore a backup from its target by id.`, 2);
      }
      const { allModules } = await import('../../../kernel/modules.js');
      const op = allModules().flatMap((m) => m.ops ?? []).find((o) => o.name === 'backup.restore')!;
      const { runOpCommand } = await import('../op-commands.js');
      const args = { ...ctx.args, flags: { ...ctx.args.flags, ...(passphrase ? { passphrase } : {}) } };
      return runOpCommand({ ...ctx, args }, op, [source]);
    }
    const { existsSync, mkdirSync, mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { allModules } = await import('../../../kernel/modules.js');
    const { prepareRestore, swapIntoDataDir, RestoreError } = await import('../../../backup/restore.js');
    const { resolveArchive, SourceError } = await import('../../../backup/offline-source.js');
    const replacing = existsSync(join(dataDir, 'data.db'));
    if (replacing && ctx.args.flags.yes !== true) {
      const answer = ctx.io.isTTY && ctx.io.prompt ? await ctx.io.prompt(`Replace the data in ${dataDir} with this backup? The current data.db is kept beside it. [y/N] `) : '';
      if (!/^y(es)?$/i.test(answer.trim())) {
        ctx.io.err(ctx.io.isTTY ? 'Canceled.' : `${dataDir} already holds a data.db: pass --yes to replace it (it is kept as data.db.replaced-<time>).`);
        return 5;
      }
    }
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const work = mkdtempSync(join(dataDir, '.restore-'));
    const progress = progressPrinter(ctx);
    try {
      const archive = await resolveArchive(source, dataDir, work, (d, t) => progress(d, t, 'downloading'));
      const modules = allModules().map((m) => ({ name: m.name, migrations: m.migrations ?? [] }));
      const prepared = await prepareRestore(archive, join(work, 'data.db'), modules, { passphrase, progress });
      const { replaced } = swapIntoDataDir(prepared.file, dataDir);
      const out = { id: prepared.manifest.id, dataDir, replaced: replaced ?? null, upgraded: prepared.upgraded, createdAt: prepared.manifest.createdAt, counts: prepared.counts, secretsNeedingMasterKey: prepared.manifest.secretsNeedingMasterKey };
      if (ctx.json) ctx.io.out(JSON.stringify(out, null, 2));
      else {
        ctx.io.out(`Restored ${out.id} (made ${out.createdAt}) into ${dataDir}${out.upgraded ? ', schema upgraded' : ''}: ${out.counts.apps} apps, ${out.counts.versions} versions, ${out.counts.kvRows} kv rows.`);
        if (replaced) ctx.io.out(`The replaced database is kept as ${replaced}.`);
        if (!existsSync(join(dataDir, 'client.json'))) ctx.io.out(`No owner key is saved for ${dataDir}: get one with 'fazt auth owner-key reset --data ${dataDir}'.`);
        if (out.secretsNeedingMasterKey.length) ctx.io.out(`${out.secretsNeedingMasterKey.length} secrets need the original master key (master.key or FAZT_MASTER_KEY): ${out.secretsNeedingMasterKey.join(', ')}.`);
      }
      return 0;
    } catch (err) {
      if (err instanceof RestoreError) throw new CliError(`Restore refused: ${err.message}`, err.code === 'PASSPHRASE_REQUIRED' || err.code === 'WRONG_PASSPHRASE' ? 2 : 1);
      if (err instanceof SourceError) throw new CliError(err.message, 4);
      throw err;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
