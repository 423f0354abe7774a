#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript in dist/.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sandboxNodeArgs } from './sandbox-node-args.js';

const extra = sandboxNodeArgs();
if (extra.length) relaunch(extra);
else run();

function run() {
  // Started by relaunch(): die with the launcher, however it dies, as the process it stands for would.
  if (process.channel) {
    process.channel.unref();
    process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  }
  // Exit explicitly once a command is done, so a lingering handle can never keep a stopped server alive.
  import('../dist/src/surfaces/cli/main.js').then(({ main }) =>
    main(process.argv.slice(2)).then(
      (code) => process.exit(code),
      (err) => {
        process.stderr.write(`fazt: ${err?.stack ?? err}\n`);
        process.exit(1);
      },
    ),
  );
}

/** Runs this same command in a Node started with `args`; signals are passed on, its exit is ours. */
function relaunch(args) {
  const child = spawn(process.execPath, [...args, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    if (code !== null) process.exit(code);
    // Die of the same signal, so whoever started us sees what happened.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}
