import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, from dist/test/helpers/ at run time. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = join(ROOT, 'bin', 'fazt.js');
