import { readFileSync } from 'node:fs';

/**
 * Address space a worker thread takes: V8 reserves a code range and heap for
 * its isolate when it starts (and fails the whole process, uncatchably, when
 * it cannot), plus the WebAssembly memories of its engines.
 */
const PER_WORKER_BYTES = 1024 * 1024 * 1024;

/** The soft `ulimit -v` of this process in bytes, Infinity when there is none (or not on Linux). */
function addressLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max address space')) ?? '';
    const soft = line.slice('Max address space'.length).trim().split(/\s+/)[0];
    return !soft || soft === 'unlimited' ? Infinity : Number(soft);
  } catch {
    return Infinity;
  }
}

function addressUsed(): number {
  try {
    const m = /^VmSize:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Whether one more sandbox worker fits in this process's address space. */
export function roomForAnotherWorker(): boolean {
  const limit = addressLimit();
  return limit === Infinity || limit - addressUsed() >= PER_WORKER_BYTES;
}
