import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { CliCommand } from '../command.js';
import { CliError } from '../context.js';
import { printResponse } from '../op-commands.js';

export const passwordSet: CliCommand = {
  words: ['auth', 'password', 'set'],
  summary: 'Set the password for signing in to the dashboard',
  usage: `fazt auth password set [--stdin] [--json]

Asks for the new password twice without showing it, then sets it through the op
auth.password.set (as the owner at this machine). It is stored as an scrypt hash in
the secrets store, and every signed-in browser is signed out. At least 10 characters.

Options:
  --stdin   read the password from standard input (one line) instead of asking
  --json    print {"set": true, "sessionsRevoked": N}`,
  flags: [],
  booleans: ['stdin'],
  async run(ctx, positionals) {
    if (positionals.length) throw new CliError(`Unexpected argument: ${positionals.join(' ')}. The password is never an argument: see 'fazt auth password set --help'.`, 2);
    let password: string;
    if (ctx.args.flags.stdin === true) {
      password = (await readAll(process.stdin)).replace(/\r?\n$/, '');
      if (!password) throw new CliError('No password on standard input.', 2);
    } else {
      if (!process.stdin.isTTY) throw new CliError('No terminal to ask for the password: pass it on standard input with --stdin.', 2);
      password = await askHidden('New password: ');
      if ((await askHidden('Repeat it: ')) !== password) throw new CliError('The two passwords differ. Nothing was changed.', 2);
    }
    const res = await ctx.client().callOp('auth.password.set', { password }, { human: true });
    if (ctx.json || res.status >= 400) return printResponse(ctx, res.status, res.body);
    const b = res.body as { sessionsRevoked: number };
    ctx.io.out(`Password set.${b.sessionsRevoked ? ` ${b.sessionsRevoked} browser session(s) signed out.` : ''} Sign in at /login on the dashboard.`);
    return 0;
  },
};

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal without echoing it. */
async function askHidden(question: string): Promise<string> {
  process.stderr.write(question);
  const silent = new Writable({ write: (_c, _e, cb) => cb() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  try {
    return await rl.question('');
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
