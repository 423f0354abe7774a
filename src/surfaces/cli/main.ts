import { createInterface } from 'node:readline/promises';
import { allModules } from '../../kernel/modules.js';
import type { AnyOp } from '../../kernel/ops/define.js';
import { parseArgs } from './args.js';
import type { CliCommand } from './command.js';
import { commands } from './commands/index.js';
import { CliError, makeContext, type CliIO } from './context.js';
import { checkFlags } from './flags.js';
import { commandWords, opFlags, opHelp, positionalUsage, runOpCommand } from './op-commands.js';

/** The registry without a database: the CLI needs only op definitions to build commands. */
function registryOps(): AnyOp[] {
  return allModules().flatMap((m) => m.ops ?? []);
}

function defaultIO(): CliIO {
  return {
    out: (s) => process.stdout.write(s + '\n'),
    write: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s + '\n'),
    isTTY: !!process.stdin.isTTY && !!process.stdout.isTTY,
    prompt: async (q) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(q);
      } finally {
        rl.close();
      }
    },
  };
}

type Match = { kind: 'command'; cmd: CliCommand; rest: string[] } | { kind: 'op'; op: AnyOp; rest: string[] };

/** Longest match of the leading words against hand-written commands, then ops. */
function match(words: string[], ops: AnyOp[]): Match | undefined {
  let best: Match | undefined;
  let bestLen = 0;
  const consider = (cmdWords: string[], m: (rest: string[]) => Match, prefer: boolean) => {
    if (cmdWords.length > words.length) return;
    if (!cmdWords.every((w, i) => w === words[i])) return;
    if (cmdWords.length > bestLen || (prefer && cmdWords.length === bestLen)) {
      best = m(words.slice(cmdWords.length));
      bestLen = cmdWords.length;
    }
  };
  for (const op of ops) consider(commandWords(op), (rest) => ({ kind: 'op', op, rest }), false);
  for (const cmd of commands) consider(cmd.words, (rest) => ({ kind: 'command', cmd, rest }), true);
  return best;
}

export function overview(ops: AnyOp[]): string {
  // A hand-written command replaces the generated one with the same words.
  const handWritten = new Set(commands.map((c) => c.words.join(' ')));
  const rows: [string, string][] = [
    ...commands.map((c) => [c.words.join(' '), c.summary] as [string, string]),
    ...ops
      .filter((op) => !handWritten.has(commandWords(op).join(' ')))
      .map((op) => [commandWords(op).join(' ') + positionalUsage(op), op.title] as [string, string]),
  ];
  const seen = new Set<string>();
  const uniq = rows.filter(([w]) => (seen.has(w) ? false : (seen.add(w), true))).sort((a, b) => a[0].localeCompare(b[0]));
  const w = Math.max(...uniq.map(([c]) => c.length));
  return [
    'fazt — a personal cloud: static sites, serverless apps, MCP for AI clients.',
    '',
    'Usage: fazt <command> [options]      fazt <command> --help for details',
    '',
    'Commands:',
    ...uniq.map(([c, s]) => `  ${c.padEnd(w)}  ${s}`),
    '',
    'Global options: --json  --server URL  --token T  --data DIR   (--yes on commands that ask first)',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const ops = registryOps();
  const firstPass = parseArgs(argv);
  const words = firstPass.positionals;
  if (!words.length || words[0] === 'help') {
    io.out(overview(ops));
    return 0;
  }
  if (words[0] === 'version' || firstPass.flags.version === true) {
    const { FAZT_VERSION } = await import('../../kernel/server-ops.js');
    io.out(`fazt ${FAZT_VERSION} (node ${process.version})`);
    return 0;
  }
  const m = match(words, ops);
  if (!m) {
    io.err(`Unknown command '${words.join(' ')}'. Run 'fazt --help' to see the commands.`);
    return 2;
  }
  const booleans =
    m.kind === 'command'
      ? new Set(m.cmd.booleans ?? [])
      : new Set(
          Object.entries((await import('../shared/json-schema.js')).opSchemas(m.op).input.properties ?? {})
            .filter(([, p]) => p.type === 'boolean')
            .map(([k]) => k)
            .concat(m.op.longRunning ? ['detach'] : []),
        );
  const args = parseArgs(argv, booleans);
  const ctx = makeContext(io, args);
  if (args.flags.help) {
    io.out(m.kind === 'command' ? m.cmd.usage : opHelp(m.op));
    return 0;
  }
  try {
    const own = m.kind === 'command' ? [...m.cmd.flags, ...(m.cmd.booleans ?? [])] : opFlags(m.op);
    checkFlags(args.flags, own, (m.kind === 'command' ? m.cmd.words : commandWords(m.op)).join(' '));
  } catch (err) {
    io.err((err as Error).message);
    return 2;
  }
  const consumed = words.length - m.rest.length;
  const positionals = args.positionals.slice(consumed);
  try {
    return m.kind === 'command' ? await m.cmd.run(ctx, positionals) : await runOpCommand(ctx, m.op, positionals);
  } catch (err) {
    if (err instanceof CliError) {
      io.err(err.message);
      return err.exitCode;
    }
    io.err(`Error: ${(err as Error).message}`);
    return 1;
  }
}

