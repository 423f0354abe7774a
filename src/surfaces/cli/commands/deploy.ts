import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { slugify } from '../../../apps/apps-service.js';
import { parseManifest } from '../../../apps/manifest.js';
import { packFolder } from '../../../apps/pack.js';
import { failureCause, readResponse, unreachable, type OpResponse } from '../client.js';
import { flagString } from '../args.js';
import type { CliCommand } from '../command.js';
import { CliError, type CliContext } from '../context.js';
import { printResponse } from '../op-commands.js';
import { printStarted } from '../task-follow.js';
import { plural } from '../../../kernel/plural.js';

const CHUNK = 256 * 1024;

export const deployCommand: CliCommand = {
  words: ['deploy'],
  summary: 'Deploy a folder as a new version of an app',
  usage: `fazt deploy <dir> [--name slug] [--message TEXT] [--detach] [--json]

Packs the folder and uploads it as a new version of the app, which goes live at
once (the previous version keeps serving if anything fails). Creates the app if new.
Left out: dotfiles (except .well-known), node_modules, .git, and whatever the
folder's .faztignore lists (gitignore-style patterns).

Options:
  --name SLUG        app to deploy to (default: manifest.json "name", else the folder name)
  --message TEXT     a note kept with the version
  --detach           upload, then return with the task id while the server stores
                     and activates it (fazt tasks wait <id> follows it)
  --json             machine-readable output

Related: fazt deploy status <app>, fazt deploy versions <app>, fazt deploy rollback <app> [version]`,
  flags: ['name', 'message'],
  booleans: ['detach'],
  async run(ctx, positionals) {
    if (positionals.length !== 1) throw new CliError(`Usage: fazt deploy <dir> [--name slug]. See 'fazt deploy --help'.`, 2);
    const dir = resolve(positionals[0]);
    const st = statSync(dir, { throwIfNoEntry: false });
    if (!st) throw new CliError(`No such folder: ${positionals[0]}`, 2);
    if (!st.isDirectory()) throw new CliError(`${positionals[0]} is not a folder: fazt deploy takes the folder of a site.`, 2);

    const tty = process.stderr.isTTY && !ctx.json;
    const packed = packFolder(dir, (n, bytes) => tty && bar(`Packing  ${plural(n, 'file')}`, bytes, 0));
    // On stderr, so --json output stays one document.
    for (const l of packed.links) ctx.io.err(`note: skipped symbolic link ${l} (links are not followed; copy the file in to deploy it)`);
    if (!packed.files.length) throw new CliError(`Nothing to deploy: ${positionals[0]} has no files (after .faztignore and dotfiles).`, 2);
    const app = flagString(ctx.args.flags, 'name') ?? defaultName(dir);
    const message = flagString(ctx.args.flags, 'message');

    const body = Buffer.from(JSON.stringify({ app, files: packed.files, ...(message ? { message } : {}) }));
    const detach = ctx.args.flags.detach === true;
    const res = await upload(ctx, body, tty, detach);
    if (tty) process.stderr.write('\r\x1b[K');
    if (res.status === 413) {
      const limit = (res.body as { error?: { details?: { limit?: number } } } | null)?.error?.details?.limit;
      throw new CliError(
        `The upload (${mb(body.length)}) is larger than the server accepts${limit ? ` (${mb(limit)})` : ''}. Leave big files out with .faztignore, or raise the limit on the server (fazt server start --max-upload BYTES).`,
        1,
      );
    }
    if (detach) return printStarted(ctx, res.status, res.body);
    const out = res.body as { app?: { slug: string }; version?: number; url?: string; fileCount?: number; totalBytes?: number; newBytes?: number; created?: boolean; notices?: string[] };
    if (res.status !== 200 || ctx.json) return printResponse(ctx, res.status, res.body);
    ctx.io.out(
      `${out.created ? 'Created and deployed' : 'Deployed'} ${out.app?.slug} version ${out.version}: ${plural(out.fileCount ?? 0, 'file')}, ${mb(out.totalBytes ?? 0)} (${mb(out.newBytes ?? 0)} new)`,
    );
    ctx.io.out(`  ${out.url}`);
    for (const n of out.notices ?? []) ctx.io.out(`  note: ${n}`);
    return 0;
  },
};

/** manifest.json's name, else the folder's name, as a slug. */
function defaultName(dir: string): string {
  const mf = join(dir, 'manifest.json');
  const name = existsSync(mf) ? parseManifest(readFileSync(mf)).name : undefined;
  const slug = slugify(typeof name === 'string' && name ? name : basename(dir));
  if (!slug) throw new CliError(`Cannot make an app name from '${basename(dir)}': pass --name my-app.`, 2);
  return slug;
}

/** One streamed request, so the bar follows the bytes as the server takes them. */
async function upload(ctx: CliContext, body: Buffer, tty: boolean, detach: boolean): Promise<OpResponse> {
  const client = ctx.client();
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= body.length) return controller.close();
      const chunk = body.subarray(sent, sent + CHUNK);
      sent += chunk.length;
      if (tty) bar('Uploading', sent, body.length);
      controller.enqueue(chunk);
    },
  });
  let res: Response;
  try {
    res = await client.raw('/api/ops/deploy', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...(detach ? { prefer: 'respond-async' } : {}) },
      body: stream,
      duplex: 'half',
    });
  } catch (err) {
    const cause = failureCause(err);
    if (cause === 'EPIPE' || cause === 'ECONNRESET' || cause === 'UND_ERR_SOCKET') {
      throw new CliError(`The server closed the connection during the upload (${mb(body.length)}); it is most likely over the server's upload limit (fazt server start --max-upload BYTES).`, 1);
    }
    throw unreachable(client.url, err);
  }
  if (tty) bar('Deploying', body.length, body.length);
  return readResponse(res);
}

function bar(label: string, done: number, total: number): void {
  if (!total) return void process.stderr.write(`\r\x1b[K${label}, ${mb(done)}`);
  const width = 30;
  const filled = Math.round((done / total) * width);
  const pct = Math.floor((done / total) * 100);
  process.stderr.write(`\r\x1b[K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${mb(done)}/${mb(total)}`);
}

function mb(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
