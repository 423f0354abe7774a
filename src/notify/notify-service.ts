import { randomBytes } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.js';
import { toOpError } from '../kernel/ops/errors.js';
import { GIVE_UP_AFTER_MS, retryDelayMs } from './backoff.js';
import { ChannelStore } from './channel-store.js';
import type { DeliveryResult, Message, MessageAction, Severity } from './channels/types.js';
import { Outbox, type DeliveryStatus, type OutboxRow } from './outbox.js';
import { scrub } from './scrub.js';

export interface SendInput {
  /** Stable id: sending the same id twice to a channel delivers once. Generated when absent. */
  id?: string;
  title: string;
  body: string;
  severity: Severity;
  link?: string;
  actions?: MessageAction[];
}

export interface SendResult {
  id: string;
  deliveries: { channel: string; status: DeliveryStatus; attempts: number; error?: string }[];
}

/** How often the timer looks for due retries. */
const TICK_MS = 10_000;

/**
 * Notifications: channels, and an outbox that is written before any delivery
 * so a message survives failures and restarts. Time comes from `now()`, which
 * tests replace, and `deliverDue(now)` is what the timer runs.
 */
export class NotifyService {
  readonly channels: ChannelStore;
  readonly outbox: Outbox;
  now: () => number = () => Date.now();
  /** What start() resumed: how many due rows it attempted. */
  resumed: Promise<number> = Promise.resolve(0);
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();

  constructor(private readonly kernel: Kernel) {
    this.channels = new ChannelStore(kernel);
    this.outbox = new Outbox(kernel.db);
  }

  /**
   * Approval links point at the public URL; without one they point at the
   * listen address, which a phone elsewhere cannot reach. Said at start when it matters.
   */
  publicUrlWarning(): string | undefined {
    if (this.kernel.config.publicUrl || !this.channels.names().length) return undefined;
    return `Notifications are on but --public-url (FAZT_PUBLIC_URL) is not set: approval links will point at ${this.kernel.services.apps.urlFor('root').replace(/\/$/, '')}, which may not be reachable from where you read them.`;
  }

  /** Resumes what a previous process left pending, then checks for due retries on a timer. */
  start(): void {
    this.resumed = this.track(
      this.deliverDue().catch((err) => {
        process.emitWarning(`notify: resume failed: ${(err as Error).message}`);
        return 0;
      }),
    );
    this.schedule();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private schedule(): void {
    if (this.abort.signal.aborted) return;
    this.timer = setTimeout(() => {
      void this.track(this.deliverDue().catch((err) => process.emitWarning(`notify: delivery failed: ${(err as Error).message}`))).finally(() => this.schedule());
    }, TICK_MS);
    this.timer.unref();
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  /** Writes a row per channel (one named, or all), then tries each once now. */
  async send(input: SendInput, opts: { channel?: string } = {}): Promise<SendResult> {
    if (opts.channel) this.channels.require(opts.channel);
    const names = opts.channel ? [opts.channel] : this.channels.names();
    const now = this.now();
    const message: Message = {
      id: input.id ?? 'msg_' + randomBytes(8).toString('hex'),
      title: input.title,
      body: input.body,
      severity: input.severity,
      ...(input.link ? { link: input.link } : {}),
      ...(input.actions?.length ? { actions: input.actions } : {}),
      at: new Date(now).toISOString(),
    };
    this.outbox.enqueue(message, names, now);
    await this.track(Promise.all(this.outbox.due(now, message.id).map((r) => this.attempt(r, now))));
    const rows = this.outbox.rowsOf(message.id).filter((r) => names.includes(r.channel));
    return {
      id: message.id,
      deliveries: rows.map((r) => ({ channel: r.channel, status: r.status, attempts: r.attempts, ...(r.last_error && r.status !== 'sent' ? { error: r.last_error } : {}) })),
    };
  }

  /** Tries every pending row due at `now`; returns how many were attempted. */
  async deliverDue(now = this.now()): Promise<number> {
    const results = await Promise.all(this.outbox.due(now).map((r) => this.attempt(r, now)));
    return results.filter(Boolean).length;
  }

  /** Delivers a message to one channel now, outside the outbox (notify.channels.test). */
  async deliverNow(channel: string, message: Message): Promise<DeliveryResult> {
    this.channels.require(channel);
    const open = this.channels.open(channel)!;
    const r = await this.safeDeliver(open.channel.deliver.bind(open.channel), message, open.config);
    return r.ok ? { ok: true, ...(r.detail ? { detail: scrub(r.detail, open.secrets) } : {}) } : { ...r, detail: scrub(r.detail, open.secrets) };
  }

  private async safeDeliver(fn: (m: Message, c: Record<string, unknown>, s?: AbortSignal) => Promise<DeliveryResult>, m: Message, c: Record<string, unknown>): Promise<DeliveryResult> {
    try {
      return await fn(m, c, this.abort.signal);
    } catch (err) {
      return { ok: false, permanent: false, detail: (err as Error).message };
    }
  }

  /** One attempt at one row; false when another deliverer had claimed it. */
  private async attempt(r: OutboxRow, now: number): Promise<boolean> {
    if (!this.outbox.claim(r, now)) return false;
    const attempts = r.attempts + 1;
    const message = JSON.parse(r.message) as Message;
    let result: DeliveryResult;
    let secrets: string[] = [];
    try {
      const open = this.channels.open(r.channel);
      if (!open) result = { ok: false, permanent: true, detail: `channel '${r.channel}' was removed` };
      else {
        secrets = open.secrets;
        result = await this.safeDeliver(open.channel.deliver.bind(open.channel), message, open.config);
      }
    } catch (err) {
      // An unreadable secret (master key changed) is named by toOpError and needs the owner: permanent.
      result = { ok: false, permanent: true, detail: toOpError(err).message };
    }
    const base = { messageId: r.message_id, channel: r.channel, attempts };
    if (result.ok) {
      this.outbox.markSent(r.id, now, attempts);
      this.kernel.events.emit({ type: 'system.notify.sent', source: 'system', data: base });
      return true;
    }
    const error = scrub(result.detail, secrets).slice(0, 1000);
    const expired = now - Date.parse(r.created_at) >= GIVE_UP_AFTER_MS;
    if (result.permanent || expired) {
      this.outbox.markFailed(r.id, now, attempts, error);
      this.kernel.events.emit({ type: 'system.notify.failed', source: 'system', data: { ...base, error, permanent: result.permanent } });
    } else {
      this.outbox.markRetry(r.id, now, attempts, now + retryDelayMs(attempts, result.retryAfterSeconds), error);
    }
    return true;
  }
}
