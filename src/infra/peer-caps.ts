/**
 * What a node's peer token lets the node that created it do there: read its
 * health, and put apps on it — create them, add their domains, get their
 * certificates (the launch's steps). Nothing with tokens, secrets, halts or
 * backups; its destructive and costly calls still wait for that node's owner.
 */
export const PEER_CAPS = ['kernel:pulse:read', 'kernel:apps:read', 'kernel:apps:write', 'kernel:net:read', 'kernel:net:write'];
