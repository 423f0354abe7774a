import type { Playbook } from './types.js';

export const RENEW_OP = 'net.ssl.renew';

/** A certificate close to expiry: renew it when this server can (looked up at run time). */
export const certExpiring: Playbook = {
  name: 'cert-expiring',
  title: 'Certificate expiring',
  action: `${RENEW_OP} {domain}`,
  expected: 'A fresh certificate is served and the expiry issue clears.',
  undo: 'none needed: a renewed certificate replaces the old one',
  verify: 'The certificate issue is gone on the next beat.',
  matches: (i) => i.key.startsWith('cert.expiry:'),
  group: (i) => i.key,
  async plan(ctx, issue) {
    if (!ctx.has(RENEW_OP)) {
      return { diagnosis: { reason: `${issue.title}, and I cannot renew it: ${RENEW_OP} is not available`, details: [issue.description, 'Renew the certificate by hand, or enable HTTPS certificates on this server.'] } };
    }
    return {
      proposal: {
        source: 'cert-expiring',
        op: RENEW_OP,
        input: { domain: issue.subject },
        label: `Renew the certificate for ${issue.subject}`,
        reason: issue.description,
        expected: this.expected,
        verify: this.verify,
        allowListed: true,
        certRenewal: true,
      },
    };
  },
  check: (_ctx, subject, beat) => (beat.issues.some((i) => i.key === `cert.expiry:${subject}`) ? 'pending' : 'ok'),
};
