/** Shared pieces of the HTTP benchmarks: reading wrk's report and starting a server process. */
import { spawn, type ChildProcess } from 'node:child_process';

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
