import { randomBytes } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.js';
import { toOpError } from '../kernel/ops/errors.js';
import { GIVE_UP_AFTER_MS, retryDelayMs } from './backoff.js';
import { ChannelStore } from './channel-store.js';
import type { DeliveryResult, Message, MessageAction, Severity } from './channels/types.js';
import { Outbox, type DeliveryStatus, type OutboxRow } from './outbox.js';
import { digestMessage } from './digest.js';
import { HeldMessages } from './held.js';
import { remindHalts } from './halt-reminders.js';
import { DEFAULT_SCHEDULE, isQuiet, lastDigestMoment, type NotifySchedule } from './schedule.js';
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

export interface SendOptions {
  /** One channel by name; `channels` for several; all channels when neither. */
  channel?: string;
  channels?: string[];
  /** 'digest' keeps the message for the next digest; 'now' sends it (unless quiet hours hold it). */
  deliver?: 'now' | 'digest';
  /** Sent even in quiet hours (the digest itself). */
  ignoreQuiet?: boolean;
}

export interface SendResult {
  id: string;
  /** Kept back for the digest instead of sent: by a digest rule, or by quiet hours. */
  held?: 'digest' | 'quiet';
  deliveries: { channel: string; status: DeliveryStatus; attempts: number; error?: string }[];
}

/** How often the timer looks for due retries. */
const TICK_MS = 10_000;
const SCHEDULE_KEY = 'notify.schedule';
const DIGEST_RUN_KEY = 'notify.digest.lastRunAt';

/**
 * Notifications: channels, and an outbox that is written before any delivery
 * so a message survives failures and restarts. Time comes from `now()`, which
 * tests replace, and `deliverDue(now)` is what the timer runs.
 */
export class NotifyService {
  readonly channels: ChannelStore;
  readonly outbox: Outbox;
  readonly held: HeldMessages;
  now: () => number = () => Date.now();
  /** What start() resumed: how many due rows it attempted. */
  resumed: Promise<number> = Promise.resolve(0);
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();

  constructor(private readonly kernel: Kernel) {
    this.channels = new ChannelStore(kernel);
    this.outbox = new Outbox(kernel.db);
    this.held = new HeldMessages(kernel.db);
  }

  settingsSchedule(): NotifySchedule {
    return { ...DEFAULT_SCHEDULE, ...this.kernel.settings.get<Partial<NotifySchedule>>(SCHEDULE_KEY, {}) };
  }

  setSettingsSchedule(s: NotifySchedule): void {
    this.kernel.settings.set(SCHEDULE_KEY, s);
  }

  isQuietNow(): boolean {
    return isQuiet(this.settingsSchedule(), this.now());
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
      const tick = async () => {
        await this.deliverDue();
        await this.runSchedules();
      };
      void this.track(tick().catch((err) => process.emitWarning(`notify: delivery failed: ${(err as Error).message}`))).finally(() => this.schedule());
    }, TICK_MS);
    this.timer.unref();
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  /**
   * Writes a row per channel (one named, several, or all), then tries each once
   * now. A digest message, or a non-critical one in quiet hours, is held for the digest instead.
   */
  async send(input: SendInput, opts: SendOptions = {}): Promise<SendResult> {
    if (opts.channel) this.channels.require(opts.channel);
    const wanted = opts.channel ? [opts.channel] : opts.channels;
    const names = wanted ? wanted.filter((c) => this.channels.has(c)) : this.channels.names();
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
    const hold = opts.deliver === 'digest' ? 'digest' : !opts.ignoreQuiet && input.severity !== 'critical' && isQuiet(this.settingsSchedule(), now) ? 'quiet' : null;
    if (hold) {
      this.held.hold(message, wanted ?? [], hold, now);
      return { id: message.id, held: hold, deliveries: [] };
    }
    this.outbox.enqueue(message, names, now);
    await this.track(Promise.all(this.outbox.due(now, message.id).map((r) => this.attempt(r, now))));
    const rows = this.outbox.rowsOf(message.id).filter((r) => names.includes(r.channel));
    return {
      id: message.id,
      deliveries: rows.map((r) => ({ channel: r.channel, status: r.status, attempts: r.attempts, ...(r.last_error && r.status !== 'sent' ? { error: r.last_error } : {}) })),
    };
  }

  /** Work on the clock: the day's digest when its time came, and reminders of halts still waiting. */
  async runSchedules(now = this.now()): Promise<void> {
    await this.sendDigestIfDue(now);
    await remindHalts(this.kernel, now);
  }

  /** Sends held messages as one digest once the digest time has passed since the last run. */
  async sendDigestIfDue(now = this.now()): Promise<SendResult | null> {
    const schedule = this.settingsSchedule();
    const last = this.kernel.settings.get<string | null>(DIGEST_RUN_KEY, null);
    if (last === null) {
      this.kernel.settings.set(DIGEST_RUN_KEY, new Date(now).toISOString());
      return null;
    }
    const moment = lastDigestMoment(schedule, now);
    if (Date.parse(last) >= moment) return null;
    this.kernel.settings.set(DIGEST_RUN_KEY, new Date(now).toISOString());
    return this.sendDigest(now);
  }

  /** Sends everything held as one message now (also `notify.digest --send`); null when nothing is held. */
  async sendDigest(now = this.now()): Promise<SendResult | null> {
    const held = this.held.open();
    if (!held.length) return null;
    const message = digestMessage(held, now, this.settingsSchedule().timezone);
    if (!this.held.markDigested(held.map((h) => h.messageId), message.id)) return null;
    const all = held.some((h) => !h.channels.length);
    const channels = all ? undefined : [...new Set(held.flatMap((h) => h.channels))];
    return this.send(message, { channels, ignoreQuiet: true });
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
