import type { CliCommand } from '../command.js';
import { CliError } from '../context.js';
import { followTask } from '../task-follow.js';

export const tasksWait: CliCommand = {
  words: ['tasks', 'wait'],
  summary: 'Wait for a task to finish, with a progress bar, and print its result',
  usage: `fazt tasks wait <id> [--json]

Follows a task (started with --detach, over HTTP with 'Prefer: respond-async', or by
an MCP client) until it completes, fails or is canceled, drawing its progress on a
terminal, and prints its result. Exit code 0 when it completed.

Related: fazt tasks list, fazt tasks show <id>, fazt tasks cancel <id>`,
  flags: [],
  async run(ctx, positionals) {
    if (positionals.length !== 1) throw new CliError("Give one task id, e.g. 'fazt tasks wait task_0123abcd'. 'fazt tasks list' shows yours.", 2);
    return followTask(ctx, positionals[0]);
  },
};
