import type { CliCommand } from '../command.js';
import { aiAsk } from './ai-ask.js';
import { backupRestoreCommand } from './backup-restore.js';
import { deployCommand } from './deploy.js';
import { tasksWait } from './tasks.js';
import { eventsEmit, eventsWatch } from './events.js';
import { logsCommand } from './logs.js';
import { mcpStart } from './mcp.js';
import { notifyChannelsAdd } from './notify-channels-add.js';
import { ownerKeyReset } from './owner-key-reset.js';
import { passwordSet } from './password-set.js';
import { pulseCommands } from './pulse.js';
import { serverStart } from './server-start.js';

/** Hand-written commands; every op also gets a generated command. */
export const commands: CliCommand[] = [
  serverStart,
  deployCommand,
  logsCommand,
  eventsWatch,
  eventsEmit,
  mcpStart,
  aiAsk,
  notifyChannelsAdd,
  ownerKeyReset,
  passwordSet,
  tasksWait,
  ...pulseCommands,
  backupRestoreCommand,
];
