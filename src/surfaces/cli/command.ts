import type { CliContext } from './context.js';

/** A hand-written command: sugar a person expects beyond the generated op commands. */
export interface CliCommand {
  words: string[];
  summary: string;
  usage: string;
  /** Flags of this command that take a value (besides the global ones); any other flag is an error. */
  flags: string[];
  /** Flags of this command that take no value. */
  booleans?: string[];
  run(ctx: CliContext, positionals: string[]): Promise<number>;
}
