import { flagString } from '../args.js';
import type { CliCommand } from '../command.js';
import { CliError } from '../context.js';

export const ownerKeyReset: CliCommand = {
  words: ['auth', 'owner-key', 'reset'],
  summary: 'Replace a lost owner key (on the data dir itself)',
  usage: `fazt auth owner-key reset [--data DIR] [--disable-totp] [--json]

Revokes the owner key and creates a new one, working on the data dir's files directly:
no server and no token are needed, since whoever can open those files owns the data.
Prints the new key once and saves it in DIR/client.json (mode 0600), so the CLI on
this machine keeps working. Safe while a server runs on the same data dir: the old
key stops working at once and the new one works at once. The reset is audited
(op auth.owner-key.reset).

Options:
  --data DIR      data directory (default ~/.fazt; FAZT_DATA)
  --disable-totp  also switch TOTP off (a lost authenticator, or a seed sealed under
                  a lost master key); enrol again with 'fazt auth totp enable'
  --json          print {"token", "id", "revoked", "totpDisabled", "clientConfig"}`,
  flags: [],
  booleans: ['disable-totp'],
  async run(ctx, positionals) {
    if (positionals.length) throw new CliError(`Unexpected argument: ${positionals.join(' ')}. See 'fazt auth owner-key reset --help'.`, 2);
    const { defaultDataDir } = await import('../../../kernel/config.js');
    const { NoDataError, resetOwnerKeyInDataDir } = await import('../../../server/owner-key-reset.js');
    const dataDir = flagString(ctx.args.flags, 'data') ?? defaultDataDir();
    let r: ReturnType<typeof resetOwnerKeyInDataDir>;
    try {
      r = resetOwnerKeyInDataDir(dataDir, { disableTotp: ctx.args.flags['disable-totp'] === true });
    } catch (err) {
      throw err instanceof NoDataError ? new CliError(err.message, 4) : err;
    }
    if (ctx.json) {
      ctx.io.out(JSON.stringify(r));
      return 0;
    }
    ctx.io.out(`Owner key reset: ${r.revoked.length ? `the old key (${r.revoked.join(', ')}) no longer works` : 'there was no live owner key'}.`);
    if (r.totpDisabled) ctx.io.out("TOTP is off: enrol again with 'fazt auth totp enable'.");
    ctx.io.out('');
    ctx.io.out(`New owner key (shown once, saved to ${r.clientConfig}):`);
    ctx.io.out(`  ${r.token}`);
    return 0;
  },
};
