import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../helpers/temp.js';

const run = promisify(execFile);

/** Pebble (Let's Encrypt's test CA) and its challenge test DNS server, on loopback. */
export interface Pebble {
  directoryUrl: string;
  /** Pebble's own TLS certificate: trusted for the directory only. */
  tlsCaFile: string;
  /** Management API of pebble-challtestsrv (add-a, set-txt, ...). */
  challUrl: string;
  dnsAddr: string;
  /** The root that signs issued certificates (from the management API). */
  root(): Promise<string>;
  addA(host: string, ip: string): Promise<void>;
  stop(): Promise<void>;
  /** Stops pebble only (the CA goes down); challtestsrv stays. */
  stopCa(): Promise<void>;
  output(): string;
}

/**
 * A port that is free now, for a process started later. Picked below the kernel's
 * ephemeral range, so no listen(0) or outgoing connection elsewhere in the suite can take
 * it in between; checked free for TCP and UDP on 127.0.0.1.
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  for (let i = 0; i < 200; i++) {
    const port = 10_000 + Math.floor(Math.random() * (low - 10_000));
    if ((await tcpFree(port)) && (await udpFree(port))) return port;
  }
  throw new Error('no free port found below the ephemeral range');
}

function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (low > 12_000) return low;
  } catch { /* not Linux */ }
  return 32_768;
}

const tcpFree = (port: number) => new Promise<boolean>((resolve) => {
  const s = createServer();
  s.once('error', () => resolve(false));
  s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
});

const udpFree = (port: number) => new Promise<boolean>((resolve) => {
  const s = createSocket('udp4');
  s.once('error', () => { s.close(); resolve(false); });
  s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
});

export interface PebblePlan {
  dir: string;
  cleanup: () => void;
  tlsCaFile: string;
  keyFile: string;
  port: number;
  mgmtPort: number;
  dnsPort: number;
  challPort: number;
  directoryUrl: string;
}

/** Ports and pebble's TLS certificate, chosen before fazt starts (fazt needs the directory URL). */
export async function planPebble(): Promise<PebblePlan> {
  const { dir, cleanup } = tempDir('fazt-pebble-');
  const tlsCaFile = join(dir, 'pebble-tls.pem');
  const keyFile = join(dir, 'pebble-tls.key');
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', tlsCaFile,
    '-subj', '/CN=pebble', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-days', '2']);
  const [port, mgmtPort, dnsPort, challPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  return { dir, cleanup, tlsCaFile, keyFile, port, mgmtPort, dnsPort, challPort, directoryUrl: `https://127.0.0.1:${port}/dir` };
}

/** Starts challtestsrv and pebble; `httpPort` is where pebble validates HTTP-01 (fazt's HTTP port). */
export async function startPebble(plan: PebblePlan, httpPort: number, opts: { validitySeconds?: number; eab?: { kid: string; hmacKey: string }; dnsServer?: string } = {}): Promise<Pebble> {
  let out = '';
  const chall = spawn('pebble-challtestsrv', ['-http01', '', '-https01', '', '-tlsalpn01', '', '-defaultIPv6', '', '-defaultIPv4', '127.0.0.1',
    '-dns01', `127.0.0.1:${plan.dnsPort}`, '-management', `127.0.0.1:${plan.challPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  chall.stdout!.on('data', (d) => (out += d));
  chall.stderr!.on('data', (d) => (out += d));
  const configFile = join(plan.dir, 'pebble.json');
  const tlsPort = await freePort();
  writeFileSync(configFile, JSON.stringify({
    pebble: {
      listenAddress: `127.0.0.1:${plan.port}`,
      managementListenAddress: `127.0.0.1:${plan.mgmtPort}`,
      certificate: plan.tlsCaFile,
      privateKey: plan.keyFile,
      httpPort,
      tlsPort,
      ocspResponderURL: '',
      externalAccountBindingRequired: !!opts.eab,
      ...(opts.eab ? { externalAccountMACKeys: { [opts.eab.kid]: opts.eab.hmacKey } } : {}),
      ...(opts.validitySeconds ? { certificateValidityPeriod: opts.validitySeconds } : {}),
    },
  }));
  let ca: ChildProcess | undefined = spawn('pebble', ['-config', configFile, '-dnsserver', opts.dnsServer ?? `127.0.0.1:${plan.dnsPort}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' },
  });
  ca.stdout!.on('data', (d) => (out += d));
  ca.stderr!.on('data', (d) => (out += d));
  const agent = new Agent({ ca: (await import('node:fs')).readFileSync(plan.tlsCaFile, 'utf8') });
  const get = (url: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      request(url, { agent }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject).end();
    });
  const challPost = async (path: string, body: unknown) => {
    const res = await fetch(`http://127.0.0.1:${plan.challPort}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`challtestsrv ${path}: ${res.status}`);
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await get(plan.directoryUrl).then((r) => r.status === 200, () => false);
    const challUp = await fetch(`http://127.0.0.1:${plan.challPort}/`, { method: 'GET' }).then(() => true, () => false);
    if (up && challUp) break;
    if (Date.now() > deadline) throw new Error(`pebble did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const kill = (p: ChildProcess | undefined) =>
    new Promise<void>((resolve) => {
      if (!p || p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  return {
    directoryUrl: plan.directoryUrl,
    tlsCaFile: plan.tlsCaFile,
    challUrl: `http://127.0.0.1:${plan.challPort}`,
    dnsAddr: `127.0.0.1:${plan.dnsPort}`,
    async root() {
      const r = await get(`https://127.0.0.1:${plan.mgmtPort}/roots/0`);
      if (r.status !== 200) throw new Error(`pebble roots: ${r.status}`);
      return r.body;
    },
    addA: (host, ip) => challPost('/add-a', { host: host.endsWith('.') ? host : `${host}.`, addresses: [ip] }),
    async stopCa() {
      await kill(ca);
      ca = undefined;
    },
    async stop() {
      await kill(ca);
      await kill(chall);
      plan.cleanup();
    },
    output: () => out,
  };
}
