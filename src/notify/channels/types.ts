import type { z } from 'zod';

export type Severity = 'info' | 'warning' | 'critical';

/** A link button: every action is a plain URL, so no channel needs an interactive app. */
export interface MessageAction {
  label: string;
  url: string;
}

/** What fazt says to the owner, before any channel formats it. */
export interface Message {
  /** Stable id: receivers and our outbox drop duplicates by it. */
  id: string;
  title: string;
  body: string;
  severity: Severity;
  link?: string;
  /** At most 3 are shown by channels with a limit (ntfy). */
  actions?: MessageAction[];
  /** ISO time the message was created. */
  at: string;
}

/** What a delivery attempt learned: `permanent` failures are not retried (bad config, 4xx other than 429). */
export type DeliveryResult =
  | { ok: true; detail?: string }
  | { ok: false; permanent: boolean; detail: string; retryAfterSeconds?: number };

/** Opened config: secrets already decrypted, for one delivery only. */
export type ChannelConfig = Record<string, unknown>;

/**
 * One notification channel (email, slack, ...). It validates its config and
 * delivers one message; it knows nothing of ops, the outbox or routing.
 */
export interface Channel {
  type: string;
  title: string;
  /** zod schema of the config; unknown fields are refused by name. */
  config: z.ZodType<ChannelConfig>;
  /** Config fields that are credentials: stored in the secrets store, never shown. */
  secretFields: readonly string[];
  deliver(message: Message, config: ChannelConfig, signal?: AbortSignal): Promise<DeliveryResult>;
}
