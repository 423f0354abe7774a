import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Kernel } from '../../kernel/kernel.js';
import { OpError } from '../../kernel/ops/errors.js';
import { PRESENCE_HEADER, readPresenceSecret } from '../../auth/presence.js';
import { readClientConfig } from '../../server/client-config.js';
import { Capped, EXEC_TIMEOUT_MS, type ExecResult } from '../exec-result.js';
import type { ServersStore } from '../servers-store.js';
import { PEER_CAPS } from '../peer-caps.js';
import { startChildFazt, stopChild, stopOrphan, type RunningChild } from './local-child.js';
import { childListen, pickAddress } from './local-network.js';
import type { CreateVpsRequest, VpsProvider, VpsServer } from './types.js';

export const LOCAL_TYPE = 'local';
export const LOCAL_REGION = 'loopback';

/** What a peer fazt registered: its URL and a token for this node (PEER_CAPS). */
export interface PeerGrant {
  url: string;
  token: string;
}

/**
 * Servers that are child fazt processes on this machine, each with its own data
 * dir under <data>/infra/local/<name>: create, status, exec, reboot and destroy
 * all really happen, at no cost.
 */
export class LocalHost {
  private readonly running = new Map<string, RunningChild>();
  private readonly starting = new Map<string, Promise<RunningChild>>();
  /** Addresses handed to servers being created, not yet recorded. */
  private readonly reserved = new Set<string>();

  constructor(private readonly kernel: Kernel, private readonly store: ServersStore) {}

  root(): string {
    return join(this.kernel.config.dataDir, 'infra', 'local');
  }

  dirOf(name: string): string {
    return join(this.root(), name);
  }

  private view(name: string): VpsServer | null {
    const rec = this.store.byName('local', name);
    if (!rec) return null;
    const r = this.running.get(name);
    const up = !!r && r.child.exitCode === null && r.child.signalCode === null;
    const state = up ? 'running' : this.starting.has(name) ? 'starting' : 'off';
    return { providerId: name, name, state, providerStatus: up ? 'running' : 'stopped', ipv4: rec.localAddress ?? '127.0.0.1', ipv6: null, type: LOCAL_TYPE, region: LOCAL_REGION, createdAt: rec.createdAt };
  }

  provider(): VpsProvider {
    return {
      id: 'local',
      types: async () => [{ name: LOCAL_TYPE, description: 'A child fazt process on this machine', cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), diskGb: 0, prices: { '*': { monthly: 0, hourly: 0, currency: 'USD' } }, regions: [LOCAL_REGION] }],
      regions: async () => [{ name: LOCAL_REGION, description: 'This machine, on 127.0.0.1', country: null }],
      list: async () => this.store.list('local').map((r) => this.view(r.name)!),
      get: async (id) => this.view(id),
      create: (req) => this.create(req),
      reboot: async (id) => {
        await this.stop(id);
        await this.start(id);
      },
      destroy: (id) => this.destroy(id),
    };
  }

  private async create(req: CreateVpsRequest): Promise<VpsServer> {
    const dir = this.dirOf(req.name);
    const leftover = existsSync(dir) && !this.store.byName('local', req.name) && !this.running.has(req.name) && !this.starting.has(req.name);
    // A create cut short (this node stopped before recording it) left a dir and no server.
    if (leftover) {
      await stopOrphan(dir);
      rmSync(dir, { recursive: true, force: true });
    }
    if (existsSync(dir)) throw new OpError('CONFLICT', `A local server named '${req.name}' already exists (${dir}).`);
    const taken = new Set([...this.reserved, ...this.store.list('local').map((r) => r.localAddress ?? '')]);
    const address = pickAddress(this.kernel, taken);
    this.reserved.add(address);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    req.progress?.(`starting a child fazt on ${address}`);
    try {
      const r = await startChildFazt(dir, childListen(this.kernel, address));
      this.running.set(req.name, r);
      return { providerId: req.name, name: req.name, state: 'running', providerStatus: 'running', ipv4: address, ipv6: null, type: LOCAL_TYPE, region: LOCAL_REGION, createdAt: new Date().toISOString() };
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    } finally {
      this.reserved.delete(address);
    }
  }

  /**
   * Starts a stopped local server again (after a reboot, or after this process
   * restarted: its servers stopped with it). Concurrent callers share one start.
   */
  start(name: string): Promise<RunningChild> {
    const existing = this.running.get(name);
    if (existing && existing.child.exitCode === null && existing.child.signalCode === null) return Promise.resolve(existing);
    const pending = this.starting.get(name);
    if (pending) return pending;
    const rec = this.store.byName('local', name);
    if (!rec) return Promise.reject(new OpError('NOT_FOUND', `No local server '${name}'.`));
    const p = stopOrphan(this.dirOf(name))
      .then(() => startChildFazt(this.dirOf(name), childListen(this.kernel, rec.localAddress ?? '127.0.0.1')))
      .then((r) => {
        this.running.set(name, r);
        this.store.update(rec.id, { peerUrl: r.url });
        return r;
      })
      .finally(() => this.starting.delete(name));
    this.starting.set(name, p);
    return p;
  }

  /** Every recorded local server, started in the background when this node starts: machines stay up. */
  startAll(log: (name: string, err: unknown) => void): void {
    for (const rec of this.store.list('local')) if (existsSync(this.dirOf(rec.name))) this.start(rec.name).catch((err) => log(rec.name, err));
  }

  async stop(name: string): Promise<void> {
    await this.starting.get(name)?.catch(() => {});
    const r = this.running.get(name);
    this.running.delete(name);
    if (r) await stopChild(r.child);
  }

  private async destroy(name: string): Promise<void> {
    await this.stop(name);
    rmSync(this.dirOf(name), { recursive: true, force: true });
  }

  urlOf(name: string): string | undefined {
    return this.running.get(name)?.url;
  }

  /**
   * The child registers with this node: its owner, present on this machine,
   * makes it a peer token (PEER_CAPS).
   */
  async registerPeer(name: string): Promise<PeerGrant> {
    const r = this.running.get(name);
    if (!r) throw new OpError('UNAVAILABLE', `The local server '${name}' is not running.`);
    const dir = this.dirOf(name);
    const owner = readClientConfig(dir)?.token;
    const presence = readPresenceSecret(dir);
    if (!owner || !presence) throw new OpError('INFRA_PROVIDER_ERROR', `The local server '${name}' wrote no owner key.`);
    const res = await fetch(`${r.url}/api/ops/tokens.create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json', [PRESENCE_HEADER]: presence, 'x-fazt-human': '1' },
      body: JSON.stringify({ name: `peer-${Date.now().toString(36)}`, cap: PEER_CAPS }),
    });
    const body = (await res.json()) as { token?: string; error?: { message: string } };
    if (!res.ok || !body.token) throw new OpError('INFRA_PROVIDER_ERROR', `The local server '${name}' refused a peer token: ${body.error?.message ?? res.status}`);
    return { url: r.url, token: body.token };
  }

  /** Runs a command in the server's data dir with a shell: exec on a local server. */
  exec(name: string, command: string, signal?: AbortSignal, timeoutMs = EXEC_TIMEOUT_MS): Promise<ExecResult> {
    const dir = this.dirOf(name);
    if (!existsSync(dir)) throw new OpError('NOT_FOUND', `No local server '${name}'.`);
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const out = new Capped();
      const err = new Capped();
      const child = spawn('/bin/sh', ['-c', command], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], signal, timeout: timeoutMs, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, FAZT_DATA: dir } });
      child.stdout.on('data', (d) => out.push(d));
      child.stderr.on('data', (d) => err.push(d));
      child.on('error', (e) => (signal?.aborted ? reject(new OpError('INFRA_CANCELED', 'Canceled: the command was stopped.')) : reject(new OpError('INFRA_PROVIDER_ERROR', e.message))));
      child.on('close', (code, sig) => resolve({ exitCode: code, signal: sig, stdout: out.text, stderr: err.text, truncated: out.truncated || err.truncated, ms: Math.round(performance.now() - started) }));
    });
  }

  async stopAll(): Promise<void> {
    await Promise.all([...new Set([...this.running.keys(), ...this.starting.keys()])].map((n) => this.stop(n)));
  }
}
