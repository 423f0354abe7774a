import { PEER_CAPS } from '../peer-caps.js';

/** What the new server needs to install fazt and register with this node. */
export interface InstallFazt {
  /** fazt's own SSH public key, so exec can log in as root. */
  sshPublicKey: string;
  /** This node's URL, where the new node registers itself. */
  homeUrl: string;
  /** A short-lived token that may only register this one server. */
  registrationToken: string;
  serverName: string;
  /** Port the new fazt listens on. */
  port: number;
  /** npm package spec to install. */
  packageSpec: string;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * cloud-init user data: Node 20 from NodeSource, fazt from npm, a systemd unit,
 * then a one-shot script that makes a peer token on the new node (PEER_CAPS) and
 * hands it to this one (infra.peers.register), so status can ask it how it is
 * and a launch can put apps on it.
 */
export function cloudInit(o: InstallFazt): string {
  const register = `#!/bin/sh
set -eu
for i in $(seq 1 120); do curl -fsS http://127.0.0.1:${o.port}/api/health >/dev/null 2>&1 && break; sleep 2; done
TOKEN=$(runuser -u fazt -- fazt token create peer-home ${PEER_CAPS.map((c) => `--cap ${c}`).join(' ')} --json --data /var/lib/fazt | sed -n 's/.*"token": *"\\([^"]*\\)".*/\\1/p')
curl -fsS -X POST ${q(o.homeUrl.replace(/\/+$/, '') + '/api/ops/infra.peers.register')} \\
  -H ${q('authorization: Bearer ' + o.registrationToken)} -H 'content-type: application/json' \\
  -d "{\\"server\\":\\"${o.serverName}\\",\\"token\\":\\"$TOKEN\\",\\"port\\":${o.port}}"
`;
  const unit = `[Unit]
Description=fazt personal cloud
After=network-online.target
Wants=network-online.target

[Service]
User=fazt
Environment=FAZT_DATA=/var/lib/fazt
ExecStart=/usr/bin/env fazt server start --host 0.0.0.0 --port ${o.port} --no-example
Restart=on-failure
NoNewPrivileges=true

[Install]
WantedBy=multi-user.target
`;
  const indent = (s: string) => s.split('\n').map((l) => (l ? '      ' + l : l)).join('\n');
  return `#cloud-config
ssh_authorized_keys:
  - ${o.sshPublicKey}
package_update: true
packages: [curl, ca-certificates]
write_files:
  - path: /etc/systemd/system/fazt.service
    permissions: '0644'
    content: |
${indent(unit)}
  - path: /usr/local/sbin/fazt-register
    permissions: '0700'
    content: |
${indent(register)}
runcmd:
  - curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  - apt-get install -y nodejs
  - npm install -g ${o.packageSpec}
  - useradd --system --create-home --home-dir /var/lib/fazt --shell /usr/sbin/nologin fazt
  - chmod 700 /var/lib/fazt
  - systemctl daemon-reload
  - systemctl enable --now fazt
  - /usr/local/sbin/fazt-register
`;
}
