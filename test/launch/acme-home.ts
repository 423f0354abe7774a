import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/server.js';
import { freePort, planPebble, startPebble, type Pebble } from '../ssl/pebble.js';

export interface AcmeHome {
  s: TestServer;
  pebble: Pebble;
  /** Pebble's root, for curl --cacert. */
  rootFile: string;
  close(): Promise<void>;
}

/**
 * A server that serves HTTPS, hosts `zone` on its own DNS server and gets
 * certificates from Pebble, which resolves names through that DNS server and
 * validates HTTP-01 on this server's HTTP port (at whatever address DNS gives).
 */
export async function startAcmeHome(zone: string): Promise<AcmeHome> {
  const plan = await planPebble();
  const dnsPort = await freePort();
  const s = await startServer({
    dnsPort,
    extra: { 'ssl.httpsPort': '0', 'ssl.acmeDirectory': plan.directoryUrl, 'ssl.acmeCa': plan.tlsCaFile, 'ssl.resolver': `127.0.0.1:${dnsPort}` },
  });
  const pebble = await startPebble(plan, s.kernel.config.port, { dnsServer: `127.0.0.1:${dnsPort}` });
  const rootFile = join(plan.dir, 'pebble-root.pem');
  writeFileSync(rootFile, await pebble.root());
  assert.equal((await s.op('dns.zones.create', { zone })).status, 200);
  return {
    s,
    pebble,
    rootFile,
    close: async () => {
      await s.close();
      await pebble.stop();
    },
  };
}

/** startAcmeHome for the enclosing describe: started before its tests, closed after; read it inside a test. */
export function useAcmeHome(zone: string): { readonly s: TestServer; readonly rootFile: string } {
  let home: AcmeHome | undefined;
  before(async () => {
    home = await startAcmeHome(zone);
  });
  after(async () => {
    await home?.close();
  });
  return {
    get s() {
      return home!.s;
    },
    get rootFile() {
      return home!.rootFile;
    },
  };
}
