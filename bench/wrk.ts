/** Shared pieces of the HTTP benchmarks: reading wrk's report and starting a server process. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
}

/** The run with the median throughput. */
export function medianRun(runs: WrkResult[]): WrkResult {
  return [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
}

/** A rate as a table shows it: whole, with thousands separators. */
export function fmtRate(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** wrk prints latencies as 812.00us, 1.20ms or 1.01s. */
export function toMs(v: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(v.trim());
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

/** Requests/s and p50/p99 from `wrk --latency` output. */
export function parseWrk(out: string): WrkResult {
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    p50: toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ''),
    p99: toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ''),
  };
}

/**
 * Places a server and wrk on CPUs of their own: the server on CPU 0, wrk on
 * CPU 1, so the load generator never takes CPU from the server it measures and
 * the servers of a comparison run under the same conditions. Needs two CPUs and
 * taskset; `FAZT_BENCH_PIN=0` turns it off.
 */
export class Pinning {
  readonly available: boolean;

  constructor() {
    this.available = process.env.FAZT_BENCH_PIN !== '0' && availableParallelism() >= 2 && tasksetWorks();
  }

  /** Moves every thread of the server processes to CPU 0 (pinned) or back to all CPUs. */
  place(pids: number[], pinned: boolean): void {
    if (!this.available) return;
    for (const pid of pids.flatMap(withDescendants)) execFileSync('taskset', ['-a', '-p', '-c', pinned ? '0' : `0-${availableParallelism() - 1}`, String(pid)], { stdio: 'ignore' });
  }

  /** Runs wrk, on CPU 1 with one thread when pinned, else with two threads anywhere, and returns its report. */
  wrk(pinned: boolean, args: string[]): string {
    const on = pinned && this.available;
    const [cmd, ...rest] = [...(on ? ['taskset', '-c', '1'] : []), 'wrk', on ? '-t1' : '-t2', ...args];
    return execFileSync(cmd, rest, { encoding: 'utf8' });
  }
}

/** A process and the processes it started (a launcher may run the server as its child). */
function withDescendants(pid: number): number[] {
  let children: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      children = children.concat(readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    }
  } catch {
    /* gone, or not Linux */
  }
  return [pid, ...children.flatMap(withDescendants)];
}

function tasksetWorks(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts `node <args>` and resolves once its stdout matches `ready`. */
export function startProcess(args: string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '' } });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve({ child, match: m });
    });
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
  });
}
