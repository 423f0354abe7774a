import type { Halt } from '../../halt/halt-queue.js';
import type { Kernel } from '../../kernel/kernel.js';
import { serverUrl } from '../../server/server-url.js';
import { APPROVAL_KEY_SECRET, approvalKey } from './approval-key.js';
import { linkTokenHash, readLinkToken, signLinkToken, type LinkPayload } from './link-token.js';
import { UsedLinks } from './used-links.js';

export interface ApprovalLink {
  label: string;
  url: string;
}

/** A link that may be shown and acted on, or why not (with the HTTP status of the refusal page). */
export type LinkCheck =
  | { ok: true; token: string; hash: string; payload: LinkPayload; halt: Halt }
  | { ok: false; status: 400 | 404 | 409 | 410; title: string; message: string };

/** Makes and checks one-tap approval links; `kernel.services.approvals`. */
export class ApprovalLinks {
  /** Read for link expiry; replaceable so expiry can be tested without waiting. */
  clock: () => number = Date.now;
  readonly used: UsedLinks;
  private cachedKey: Buffer | undefined;

  constructor(private readonly kernel: Kernel) {
    this.used = new UsedLinks(kernel.db);
  }

  /** Made on first use, so a server that never sends a link stores no key. */
  key(): Buffer {
    this.cachedKey ??= approvalKey(this.kernel.services.secrets);
    return this.cachedKey;
  }

  baseUrl(): string {
    const c = this.kernel.config;
    return c.publicUrl ?? serverUrl(c.host, c.port);
  }

  /** One link per option of a pending halt, valid until the halt expires; none for a decided or unknown halt. */
  linksFor(haltId: string): ApprovalLink[] {
    const halt = this.kernel.halts.get(haltId);
    if (!halt || halt.status !== 'pending') return [];
    const key = this.key();
    const e = Date.parse(halt.expiresAt);
    return halt.options.map((o) => ({ label: o, url: `${this.baseUrl()}/approve/${signLinkToken(key, { h: halt.id, o, e })}` }));
  }

  /** Signature, expiry, single use, halt still pending: in that order, so a refusal names the first reason. */
  check(token: string): LinkCheck {
    // No key yet means no link was ever made: refuse without creating one (a GET writes nothing).
    const keyExists = this.cachedKey !== undefined || this.kernel.services.secrets.has(APPROVAL_KEY_SECRET);
    const read = keyExists ? readLinkToken(this.key(), token) : ({ ok: false, reason: 'signature' } as const);
    if (!read.ok) return refuse(400, 'This approval link is not valid', 'The link was changed or cut short. Nothing was done. Use the link exactly as it arrived.');
    const { payload } = read;
    if (this.clock() >= payload.e) return refuse(410, 'This approval link has expired', 'The request it stood for is past its deadline. Nothing was done.');
    const hash = linkTokenHash(token);
    const state = this.used.state(hash);
    if (state === 'used') return refuse(410, 'This approval link has already been used', 'Each link works once. Nothing more was done.');
    if (state === 'locked') return refuse(410, 'This approval link no longer works', `Too many wrong authenticator codes were entered. Nothing was done. Decide on the server with 'fazt halt approve ${payload.h}' or 'fazt halt deny ${payload.h}'.`);
    const halt = this.kernel.halts.get(payload.h);
    if (!halt || !halt.options.includes(payload.o)) return refuse(404, 'This approval link is not valid', 'The request it stood for no longer exists. Nothing was done.');
    if (halt.status === 'expired') return refuse(410, 'This approval link has expired', 'The request it stood for is past its deadline and was denied. Nothing was done.');
    if (halt.status !== 'pending') {
      return refuse(409, `This request was already ${halt.status}`, `It was decided${halt.decidedBy ? ` by ${halt.decidedBy}` : ''}${halt.decidedAt ? ` at ${halt.decidedAt}` : ''}. Nothing more was done.`);
    }
    return { ok: true, token, hash, payload, halt };
  }
}

function refuse(status: 400 | 404 | 409 | 410, title: string, message: string): LinkCheck {
  return { ok: false, status, title, message };
}
