import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpError } from '../../kernel/ops/errors.js';
import type { ChildListen } from './local-network.js';

/** bin/fazt.js of this installation, from dist/src/infra/vps/ at run time. */
export const FAZT_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'bin', 'fazt.js');

export interface RunningChild {
  child: ChildProcess;
  url: string;
  /** Its HTTPS port, when it serves HTTPS. */
  httpsPort?: number;
}

const START_TIMEOUT_MS = 60_000;

/**
 * Starts `fazt server start` where `listen` says; resolves once it says where it
 * listens. The IPC channel is its tie to this process: the child stops when it
 * closes, so a local server never outlives the node that runs it (kill -9 included).
 */
export function startChildFazt(dataDir: string, listen: ChildListen): Promise<RunningChild> {
  const args = [FAZT_BIN, 'server', 'start', '--host', listen.host, '--port', String(listen.port), '--https-port', String(listen.httpsPort), '--data', dataDir, '--no-example'];
  for (const [k, v] of Object.entries(listen.settings)) args.push('--set', `${k}=${v}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '', FAZT_MASTER_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // The channel must not keep this process alive on its own.
    child.channel?.unref();
    if (child.pid) writeFileSync(join(dataDir, PID_FILE), String(child.pid), { mode: 0o600 });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new OpError('INFRA_PROVIDER_ERROR', `The local server did not start within ${START_TIMEOUT_MS / 1000} s: ${err.slice(-300)}`));
    }, START_TIMEOUT_MS);
    const onData = (d: Buffer) => {
      out += d;
      const m = /running at (http:\/\/[^\s]+)/.exec(out);
      if (m && /\n {2}CLI /.test(out)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        const https = /HTTPS\s+port (\d+)/.exec(out);
        resolve({ child, url: m[1], ...(https ? { httpsPort: Number(https[1]) } : {}) });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new OpError('INFRA_PROVIDER_ERROR', `The local server exited (${code}) before it started: ${err.slice(-300)}`));
    });
  });
}

/** SIGTERM, then SIGKILL if it lingers; resolves once it has exited. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => (clearTimeout(t), resolve()));
    child.kill('SIGTERM');
  });
}

/** Where the last child started on a data dir is noted, so one that outlived this node can be found. */
const PID_FILE = 'fazt-child.pid';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A child still running on `dataDir` although this node does not know it: one
 * that was starting when this node was killed (it stops by itself once it has
 * started, but may still hold the dir and its address). Stopped before the dir is
 * reused, and only when it is really a fazt on this dir (its command line says so).
 */
export async function stopOrphan(dataDir: string, graceMs = 10_000): Promise<void> {
  let pid: number;
  let cmdline: string;
  try {
    pid = Number(readFileSync(join(dataDir, PID_FILE), 'utf8'));
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !cmdline.split('\0').includes(dataDir) || pid === process.pid) return;
  process.kill(pid, 'SIGTERM');
  const until = Date.now() + graceMs;
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}
