import { spawn, type ChildProcess } from 'node:child_process';
import { PRESENCE_HEADER, readPresenceSecret } from '../../src/auth/presence.js';
import { bootServer, type RunningServer } from '../../src/server/boot.js';
import type { Config } from '../../src/kernel/config.js';
import { readClientConfig } from '../../src/server/client-config.js';
import { BIN } from './paths.js';
import { tempDir } from './temp.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  token: string;
  /** Calls an op over real HTTP as the owner (or with `token`); `human` proves presence as the local CLI does. */
  op(name: string, input?: unknown, opts?: { token?: string; human?: boolean }): Promise<{ status: number; body: any }>;
  /** GET a path on a given Host (e.g. `hello.localhost`). */
  get(path: string, host?: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** Boots a real server in this process on a free port with a fresh data dir. */
export async function startServer(config: Partial<Config> = {}): Promise<TestServer> {
  const tmp = config.dataDir ? { dir: config.dataDir, cleanup: () => {} } : tempDir();
  const s = await bootServer({ port: 0, seedExample: false, ...config, dataDir: tmp.dir });
  const token = s.ownerKey ?? readClientConfig(tmp.dir)!.token;
  return {
    ...s,
    dataDir: tmp.dir,
    token,
    async op(name, input = {}, opts = {}) {
      const res = await fetch(`${s.url}/api/ops/${name}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${opts.token ?? token}`,
          'content-type': 'application/json',
          ...(opts.human ? humanHeaders(tmp.dir) : {}),
        },
        body: JSON.stringify(input),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    get(path, host, headers = {}) {
      return fetchWithHost(s.url, path, host, headers);
    },
    async close() {
      await s.stop();
      if (!config.dataDir) tmp.cleanup();
    },
  };
}

/** What the local CLI sends when the owner at the keyboard confirmed: the presence secret and the claim. */
export function humanHeaders(dataDir: string): Record<string, string> {
  const secret = readPresenceSecret(dataDir);
  if (!secret) throw new Error(`no presence secret in ${dataDir}: is a server running on it?`);
  return { [PRESENCE_HEADER]: secret, 'x-fazt-human': '1' };
}

/**
 * fetch() will not let us set Host, so requests for app hosts go through
 * node:http with an explicit Host header.
 */
export async function fetchWithHost(base: string, path: string, host?: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  const { request } = await import('node:http');
  const u = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: { ...(host ? { host } : {}), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
          const body = Buffer.concat(chunks);
          resolve(new Response(method === 'HEAD' || res.statusCode === 304 || res.statusCode === 204 ? null : body, { status: res.statusCode, headers: h }));
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (bin/fazt.js) as a child process. */
export function runCli(args: string[], opts: { dataDir?: string; env?: Record<string, string>; input?: string; killAfterMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args, ...(opts.dataDir ? ['--data', opts.dataDir] : [])], {
      env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      // A command that should exit but starts serving instead is stopped rather than hanging the suite.
      ...(opts.killAfterMs ? { timeout: opts.killAfterMs } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(opts.input ?? '');
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface SpawnedServer {
  child: ChildProcess;
  url: string;
  dataDir: string;
  output: () => string;
  /** Resolves once the output matches (the start banner arrives in several writes). */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
}

/**
 * Starts `fazt server start` as a real child process (for crash and signal tests).
 * `addressSpaceKb` starts it under `ulimit -v`, as some hosts do.
 */
export function spawnServer(dataDir: string, extraArgs: string[] = [], opts: { addressSpaceKb?: number; port?: number } = {}): Promise<SpawnedServer> {
  return new Promise((resolve, reject) => {
    const argv = [BIN, 'server', 'start', '--port', String(opts.port ?? 0), '--data', dataDir, ...extraArgs];
    const [cmd, args] = opts.addressSpaceKb ? ['sh', ['-c', `ulimit -v ${opts.addressSpaceKb} && exec "$0" "$@"`, process.execPath, ...argv]] : [process.execPath, argv];
    const child = spawn(cmd, args, {
      env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = /running at (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (x) => (out += x));
        resolve({
          child,
          url: m[1],
          dataDir,
          output: () => out,
          waitForOutput: async (re, timeoutMs = 5000) => {
            const until = Date.now() + timeoutMs;
            while (!re.test(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
            return out;
          },
          stop: () => new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : (child.once('exit', (c) => r(c)), child.kill('SIGTERM')))),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`server exited early (${code}):\n${out}`)));
    setTimeout(() => reject(new Error(`server did not start in 20s:\n${out}`)), 20_000).unref();
  });
}

export interface FollowingCli {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves once stdout or stderr (as `read` picks) satisfies `pred`; rejects if the CLI exits first or 15 s pass. */
  until(read: () => string, pred: (s: string) => boolean, what: string): Promise<void>;
}

/** Starts a long-running CLI command (`logs -f`, `events watch`) against a data dir's server. */
export function followCli(args: string[], dataDir: string): FollowingCli {
  const child = spawn(process.execPath, [BIN, ...args, '--data', dataDir], {
    env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const until = (read: () => string, pred: (s: string) => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => pred(read()) && done(resolve);
      const onExit = (code: number | null) => done(() => reject(new Error(`CLI exited (${code}) before ${what}:\n${read()}`)));
      const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${what}:\n${read()}`))), 15_000);
      const done = (fn: () => void) => {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        child.stderr!.off('data', check);
        child.off('exit', onExit);
        fn();
      };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      child.once('exit', onExit);
      check();
    });
  return { child, out: () => out, err: () => err, until };
}

/** SIGKILL, as a crash would: no shutdown code runs. Resolves once the process is gone. */
export function killHard(srv: SpawnedServer): Promise<void> {
  return new Promise((resolve) => {
    if (srv.child.exitCode !== null || srv.child.signalCode !== null) return resolve();
    srv.child.once('exit', () => resolve());
    srv.child.kill('SIGKILL');
  });
}
