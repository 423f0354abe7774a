import { z } from 'zod';
import type { Kernel } from '../../kernel/kernel.js';
import type { Caller } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import type { Invocation } from '../../runtime/sandbox/types.js';
import type { CompleteResult } from '../ai-service.js';
import { appCompleteInput } from '../ops/complete-op.js';
import { appKeyName } from '../provider-config.js';
import { PROVIDERS } from '../providers/index.js';
import { AppAiGrants, type AppAiGrant } from './app-grants.js';
import { requestedAi, type AppAiRequest } from './manifest-ai.js';

/** An app's daily AI cap when neither its grant nor its manifest names one. */
export const DEFAULT_APP_DAILY_USD = 1;

const embedInput = z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(256)]);

export interface AppAiAccess {
  app: string;
  requested: AppAiRequest | null;
  granted: AppAiGrant | null;
  /** The cap that applies: the owner's, else the manifest's, else the default. */
  dailyUsd: number;
  spentTodayUsd: number;
  /** Providers for which the app has its own key (the key is never shown). */
  ownKeys: string[];
}

/**
 * `fazt.ai.*` for app code: only for an app whose manifest asks and whose owner
 * allowed it, within its daily budget, with the invocation's deadline as the
 * call's time limit. The model and provider are the manifest's, not the code's.
 */
export class AppAi {
  readonly grants: AppAiGrants;

  constructor(private readonly kernel: Kernel) {
    this.grants = new AppAiGrants(kernel.db);
  }

  access(ref: string): AppAiAccess {
    const { secrets, ai } = this.kernel.services;
    const { appId, ...terms } = this.terms(ref);
    return {
      ...terms,
      spentTodayUsd: ai.usage.spentToday(appId),
      ownKeys: PROVIDERS.filter((p) => secrets.has(appKeyName(appId, p.id))).map((p) => p.id),
    };
  }

  /** What the manifest asks, what the owner granted, and the cap that applies: all a call needs. */
  private terms(ref: string): Omit<AppAiAccess, 'spentTodayUsd' | 'ownKeys'> & { appId: string } {
    const { apps, files } = this.kernel.services;
    const app = apps.get(ref);
    const requested = app.activeVersion === null ? null : requestedAi(files.manifest(app.id, app.activeVersion));
    const granted = this.grants.get(app.id);
    return { appId: app.id, app: app.slug, requested, granted, dailyUsd: granted?.dailyUsd ?? requested?.dailyUsd ?? DEFAULT_APP_DAILY_USD };
  }

  setOwnKey(appId: string, provider: string, apiKey: string | null): void {
    if (apiKey === null) this.kernel.services.secrets.delete(appKeyName(appId, provider));
    else this.kernel.services.secrets.set(appKeyName(appId, provider), apiKey);
    this.kernel.services.ai.providers.changed();
  }

  deleteApp(appId: string): void {
    this.grants.revoke(appId);
    for (const s of this.kernel.services.secrets.list(`ai.app.${appId}.`)) this.kernel.services.secrets.delete(s.name);
    this.kernel.services.ai.providers.changed();
  }

  async complete(app: { id: string; slug: string }, input: unknown, inv: Invocation): Promise<CompleteResult> {
    const a = this.allowed(app);
    const req = parse(appCompleteInput, input, 'fazt.ai.complete');
    return this.call(() =>
      this.kernel.services.ai.complete({ ...req, model: a.requested?.model, provider: a.requested?.provider }, { caller: appCaller(app), appDailyUsd: a.dailyUsd, signal: deadlineSignal(inv) }),
    );
  }

  async embed(app: { id: string; slug: string }, input: unknown, inv: Invocation) {
    const a = this.allowed(app);
    const texts = parse(embedInput, input, 'fazt.ai.embed');
    return this.call(() =>
      this.kernel.services.ai.embed(Array.isArray(texts) ? texts : [texts], { caller: appCaller(app), appDailyUsd: a.dailyUsd, provider: a.requested?.provider, signal: deadlineSignal(inv) }),
    );
  }

  private allowed(app: { id: string; slug: string }): ReturnType<AppAi['terms']> {
    const a = this.terms(app.id);
    if (!a.requested) throw appError('AI_NOT_REQUESTED', `fazt.ai needs "ai" in manifest.json, e.g. {"ai": {"dailyUsd": 1}}, and the owner's permission.`);
    if (!a.granted) throw appError('AI_NOT_GRANTED', `the owner has not allowed this app to use AI models: fazt apps ai grant ${app.slug}`);
    return a;
  }

  /** Errors reach app code with the error code as their name (err.name === 'AI_BUDGET_EXCEEDED'). */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof OpError) throw appError(err.code, err.message);
      throw err;
    }
  }
}

function appCaller(app: { id: string; slug: string }): Caller {
  return { kind: 'app', name: `app:${app.slug}`, caps: [], human: false, appId: app.id };
}

/** The call gives up when the invocation's time does: the sandbox would not wait longer anyway. */
function deadlineSignal(inv: Invocation): AbortSignal | undefined {
  return inv.deadline === undefined ? undefined : AbortSignal.timeout(Math.max(1, inv.deadline - Date.now()));
}

function parse<T>(schema: z.ZodType<T>, v: unknown, what: string): T {
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  throw appError('BAD_INPUT', `${what}: ${issues}`);
}

function appError(code: string, message: string): Error {
  const e = new Error(message);
  e.name = code;
  return e;
}
