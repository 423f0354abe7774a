import type { IncomingMessage } from 'node:http';
import type { Kernel } from '../kernel/kernel.js';

/** The signed-in owner's browser sessions, when the sign-in module is present. */
export interface OwnerSessions {
  fromRequest(req: IncomingMessage): { sessionId: string; createdAt: string | number } | null;
  csrfToken(sessionId: string): string;
  checkCsrf(sessionId: string, token: string): boolean;
}

/** Read without declaring the service: the sign-in module owns that declaration. */
export function ownerSessions(kernel: Kernel): OwnerSessions | undefined {
  const s = (kernel.services as unknown as { ownerSessions?: OwnerSessions }).ownerSessions;
  return s && typeof s.fromRequest === 'function' ? s : undefined;
}

/** True when `key` is the server's live owner key (verified like any bearer token). */
export function isOwnerKey(kernel: Kernel, key: string | null | undefined): boolean {
  if (!key) return false;
  const v = kernel.tokens.verify(key);
  return v.ok && v.info.kind === 'owner';
}

/**
 * Wrong owner keys per client address: after `max` within the window the
 * consent form stops checking keys from that address until the window passes.
 */
export class KeyAttempts {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly max = 10, private readonly windowMs = 15 * 60_000) {}

  blocked(address: string): number | undefined {
    const recent = this.recent(address);
    return recent.length >= this.max ? Math.ceil((recent[0] + this.windowMs - Date.now()) / 1000) : undefined;
  }

  fail(address: string): void {
    const recent = this.recent(address);
    recent.push(Date.now());
    if (this.failures.size > 10_000) this.failures.clear();
    this.failures.set(address, recent);
  }

  private recent(address: string): number[] {
    return (this.failures.get(address) ?? []).filter((t) => Date.now() - t < this.windowMs);
  }
}
