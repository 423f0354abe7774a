import { ssh2Lib } from './ssh-lib.js';
import type { Kernel } from '../../kernel/kernel.js';

const PRIVATE = 'infra.ssh.privateKey';
const PUBLIC = 'infra.ssh.publicKey';

/**
 * fazt's own SSH key: made once, private half sealed in the secrets store. The
 * public half goes into each server's cloud-init so exec can log in.
 */
export function sshKey(kernel: Kernel): { publicKey: string; privateKey: () => string } {
  let pub = kernel.settings.get<string | null>(PUBLIC, null);
  if (!pub || !kernel.services.secrets.has(PRIVATE)) {
    const pair = ssh2Lib().utils.generateKeyPairSync('ed25519', { comment: 'fazt' });
    kernel.services.secrets.set(PRIVATE, pair.private);
    kernel.settings.set(PUBLIC, pair.public.trim());
    pub = pair.public.trim();
  }
  return { publicKey: pub, privateKey: () => kernel.services.secrets.get(PRIVATE)! };
}
