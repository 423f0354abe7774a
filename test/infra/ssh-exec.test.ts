import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { startServer, type TestServer } from '../helpers/server.js';
import { hetznerFake, type HetznerFake } from './contract/hetzner.js';

let s: TestServer;
let hz: HetznerFake;
let sshd: ssh2.Server;
let port = 0;
const seen: { user: string; command: string }[] = [];

/** A loopback SSH server (ssh2's own) that accepts only fazt's public key and runs a tiny command set. */
function startSshd(hostKey: string, allowedKey: () => string): Promise<void> {
  sshd = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    // A client that refuses our host key hangs up mid-handshake: expected here.
    client.on('error', () => {});
    let user = '';
    client.on('authentication', (ctx) => {
      user = ctx.username;
      if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const allowed = ssh2.utils.parseKey(allowedKey());
      if (allowed instanceof Error || ctx.key.algo !== allowed.type || !ctx.key.data.equals(allowed.getPublicSSH())) return ctx.reject();
      if (ctx.signature && !allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo)) return ctx.reject();
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().once('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          seen.push({ user, command: info.command });
          if (info.command === 'uname -n') {
            stream.write('web-1\n');
            stream.exit(0);
          } else {
            stream.stderr.write(`sh: ${info.command}: not found\n`);
            stream.exit(127);
          }
          stream.end();
        });
      });
    });
  });
  return new Promise((resolve) => sshd.listen(0, '127.0.0.1', () => ((port = (sshd.address() as AddressInfo).port), resolve())));
}

before(async () => {
  hz = await hetznerFake();
  s = await startServer();
  await s.op('infra.providers.set', { provider: 'hetzner', apiToken: hz.token, baseUrl: hz.base });
  const made = await s.op('infra.vps.create', { provider: 'hetzner', name: 'web-1', type: 'cx22', region: 'fsn1', installFazt: false }, { human: true });
  assert.equal(made.status, 200, JSON.stringify(made.body));
  // The server's cloud-init carries fazt's public key; the SSH server trusts exactly that key.
  const userData = hz.received.find((r) => r.method === 'POST' && r.path === '/v1/servers')!.body.user_data as string;
  const pub = /ssh_authorized_keys:\n  - (ssh-ed25519 \S+)/.exec(userData)![1];
  await startSshd(ssh2.utils.generateKeyPairSync('ed25519').private, () => pub);
});

after(async () => {
  await s.close();
  await hz.close();
  await new Promise<void>((r) => sshd.close(() => r()));
});

test('exec over SSH (ssh2 loopback server): logs in with fazt\'s own key, returns output and exit code, remembers the host key', async () => {
  const r = await s.op('infra.vps.exec', { id: 'web-1', command: 'uname -n', port }, { human: true });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual([r.body.exitCode, r.body.stdout, r.body.stderr], [0, 'web-1\n', '']);
  assert.deepEqual(seen.at(-1), { user: 'root', command: 'uname -n' });
  const rec = s.kernel.services.infra.servers.byName('hetzner', 'web-1')!;
  assert.match(rec.hostKey!, /^SHA256:/);
  const bad = await s.op('infra.vps.exec', { id: 'web-1', command: 'frobnicate', port }, { human: true });
  assert.deepEqual([bad.body.exitCode, bad.body.stderr], [127, 'sh: frobnicate: not found\n']);
});

test('exec over SSH: a server whose host key changed is refused, and a model\'s exec halts first', async () => {
  const halted = await s.op('infra.vps.exec', { id: 'web-1', command: 'uname -n', port });
  assert.equal(halted.status, 202);
  await new Promise<void>((r) => sshd.close(() => r()));
  const pub = /ssh_authorized_keys:\n  - (ssh-ed25519 \S+)/.exec(hz.received.find((r) => r.method === 'POST' && r.path === '/v1/servers')!.body.user_data)![1];
  await startSshd(ssh2.utils.generateKeyPairSync('ed25519').private, () => pub);
  const count = seen.length;
  const r = await s.op('infra.vps.exec', { id: 'web-1', command: 'uname -n', port }, { human: true });
  assert.equal(r.body.error.code, 'INFRA_PROVIDER_ERROR');
  assert.match(r.body.error.message, /host key of 127\.0\.0\.1 changed/);
  assert.equal(seen.length, count, 'no command ran');
});

test('exec over SSH: an unreachable port is a clear provider error', async () => {
  const r = await s.op('infra.vps.exec', { id: 'web-1', command: 'uname -n', port: 1 }, { human: true });
  assert.equal(r.body.error.code, 'INFRA_PROVIDER_ERROR');
  assert.match(r.body.error.message, /ssh 127\.0\.0\.1:1: .*ECONNREFUSED/);
});
