#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript in dist/.
// Exit explicitly once a command is done, so a lingering handle can never keep a stopped server alive.
import { main } from '../dist/src/surfaces/cli/main.js';
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`fazt: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
