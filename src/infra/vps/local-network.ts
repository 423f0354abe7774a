import type { Kernel } from '../../kernel/kernel.js';
import { OpError } from '../../kernel/ops/errors.js';

/** Where a local server listens, and what it is told to start with. */
export interface ChildListen {
  host: string;
  port: number;
  httpsPort: number | 'off';
  /** `--set` settings: this node's ACME CA, so the local server gets certificates from the same one. */
  settings: Record<string, string>;
}

const SHARED = '127.0.0.1';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);
/** ACME settings a local server inherits; the EAB key stays in this node's secrets store. */
const INHERITED = ['ssl.acmeDirectory', 'ssl.acmeCa', 'ssl.acmeEmail', 'ssl.resolver'];

/**
 * On Linux all of 127.0.0.0/8 is this machine, so a local server gets an address
 * of its own (127.0.0.2, .3, …) and this node's ports, like a real server with
 * its own IP and the standard ports: a DNS record points at it and an ACME CA
 * validates it there. Elsewhere, or when this node listens beyond loopback (its
 * ports are then taken on every address), local servers share 127.0.0.1 on free ports.
 */
export function ownAddresses(kernel: Kernel): boolean {
  return process.platform === 'linux' && LOOPBACK_HOSTS.has(kernel.config.host);
}

/** The lowest 127.0.0.N (N ≥ 2) not taken, or 127.0.0.1 when local servers share it. */
export function pickAddress(kernel: Kernel, taken: Set<string>): string {
  if (!ownAddresses(kernel)) return SHARED;
  for (let n = 2; n < 255; n++) if (!taken.has(`127.0.0.${n}`)) return `127.0.0.${n}`;
  throw new OpError('INFRA_QUOTA_EXCEEDED', 'Every local address 127.0.0.2-254 is taken: destroy a local server first.');
}

export function childListen(kernel: Kernel, address: string): ChildListen {
  const own = address !== SHARED;
  const https = kernel.services.ssl?.httpsPort;
  const settings: Record<string, string> = {};
  for (const k of INHERITED) if (kernel.config.extra[k]) settings[k] = kernel.config.extra[k];
  return { host: address, port: own ? kernel.config.port : 0, httpsPort: https === undefined ? 'off' : own ? https : 0, settings };
}
