import { didYouMean } from '../../kernel/ops/did-you-mean.js';
import type { ParsedArgs } from './args.js';
import { CliError } from './context.js';

/** Flags every command understands (`--version` is answered before any command runs). */
export const GLOBAL_FLAGS = ['json', 'server', 'token', 'data', 'help'];

/**
 * Refuses any flag the command did not declare: a misspelt flag must never be
 * ignored (a deploy with `--nmae x` would otherwise create an app named after the folder).
 */
export function checkFlags(flags: ParsedArgs['flags'], own: readonly string[], command: string): void {
  const known = new Set([...own, ...GLOBAL_FLAGS]);
  for (const name of Object.keys(flags)) {
    if (known.has(name)) continue;
    const shown = name.length === 1 ? `-${name}` : `--${name}`;
    const hint = didYouMean(name, [...known]);
    const list = own.length ? own.map((f) => `--${f}`).join(', ') : '(none)';
    throw new CliError(
      `Unknown flag ${shown} for 'fazt ${command}'; valid flags: ${list}; global: ${GLOBAL_FLAGS.map((f) => `--${f}`).join(', ')}${hint ? ` (did you mean --${hint}?)` : ''}. See 'fazt ${command} --help'.`,
      2,
    );
  }
}
