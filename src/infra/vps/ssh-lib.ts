import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** ssh2, loaded when fazt first uses SSH (a key, an exec), not at start. */
export function ssh2Lib(): typeof import('ssh2') {
  return require('ssh2') as typeof import('ssh2');
}
