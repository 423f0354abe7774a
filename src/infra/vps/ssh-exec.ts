import { createHash } from 'node:crypto';
import { ssh2Lib } from './ssh-lib.js';
import { OpError } from '../../kernel/ops/errors.js';
import { Capped, EXEC_TIMEOUT_MS, type ExecResult } from '../exec-result.js';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  /** The host key fingerprint seen before; a different one is refused (trust on first use). */
  knownHostKey: string | null;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export function fingerprint(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

/** Runs one command over SSH with fazt's own key; resolves with its output and the host key seen. */
export function sshExec(t: SshTarget, command: string): Promise<ExecResult & { hostKey: string }> {
  return new Promise((resolve, reject) => {
    const conn = new (ssh2Lib().Client)();
    const started = performance.now();
    const out = new Capped();
    const err = new Capped();
    let seen = '';
    let mismatch = false;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      t.signal?.removeEventListener('abort', onAbort);
      conn.end();
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new OpError('INFRA_PROVIDER_ERROR', `The command did not finish within ${Math.round((t.timeoutMs ?? EXEC_TIMEOUT_MS) / 1000)} s on ${t.host}.`))), t.timeoutMs ?? EXEC_TIMEOUT_MS);
    const onAbort = () => finish(() => reject(new OpError('INFRA_CANCELED', 'Canceled: the command was stopped.')));
    t.signal?.addEventListener('abort', onAbort, { once: true });
    conn.on('ready', () => {
      conn.exec(command, (e, stream) => {
        if (e) return finish(() => reject(new OpError('INFRA_PROVIDER_ERROR', `ssh ${t.host}: ${e.message}`)));
        let code: number | null = null;
        let signal: string | null = null;
        stream.on('exit', (c: number | null, s?: string) => ((code = c), (signal = s ?? null)));
        stream.on('data', (d: Buffer) => out.push(d));
        stream.stderr.on('data', (d: Buffer) => err.push(d));
        stream.on('close', () =>
          finish(() => resolve({ exitCode: code, signal, stdout: out.text, stderr: err.text, truncated: out.truncated || err.truncated, ms: Math.round(performance.now() - started), hostKey: seen })),
        );
      });
    });
    conn.on('error', (e) => {
      const why = mismatch ? `the host key of ${t.host} changed (was ${t.knownHostKey}, now ${seen}); refusing to connect` : `ssh ${t.host}:${t.port}: ${e.message}`;
      finish(() => reject(new OpError('INFRA_PROVIDER_ERROR', why, { host: t.host })));
    });
    conn.connect({
      host: t.host,
      port: t.port,
      username: t.username,
      privateKey: t.privateKey,
      readyTimeout: 20_000,
      hostVerifier: (key: Buffer) => {
        seen = fingerprint(key);
        mismatch = t.knownHostKey !== null && t.knownHostKey !== seen;
        return !mismatch;
      },
    });
  });
}
