// Node options the sandboxes need on this machine, read before anything starts.
//
// V8 bounds-checks WebAssembly memory with guard pages: each app sandbox
// reserves about 10 GiB of address space, whatever it uses. Under an
// address-space limit (`ulimit -v`) that runs out after a few sandboxes, so
// there V8 is told to check bounds in code instead, where a sandbox reserves
// only its own maximum size.
import { readFileSync } from 'node:fs';

const FLAG = '--disable-wasm-trap-handler';

function addressSpaceLimited() {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max address space'));
    return Boolean(line) && !/\sunlimited\s/.test(line);
  } catch {
    return false; // not Linux: no such limit to read
  }
}

/** Supported from Node 20.15 and 22.2. */
function flagSupported() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 2) || (major === 20 && minor >= 15) || major === 21;
}

/** The options to add to this process's own (empty when none are needed or they are already set). */
export function sandboxNodeArgs() {
  if (process.execArgv.includes(FLAG) || !addressSpaceLimited() || !flagSupported()) return [];
  return [FLAG];
}
