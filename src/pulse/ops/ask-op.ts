import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { answer } from '../query/ask.js';
import { storedEvents } from '../query/events-table.js';
import { parseTimeWindow } from '../query/time-window.js';
import { askModel, modelAvailable } from '../query/model-answer.js';
import { mentionedApps, mentionedMetrics } from '../query/words.js';

export const pulseAsk = defineOp({
  name: 'pulse.ask',
  title: 'Ask about server health',
  description:
    'Answers a question about the server\'s health in plain words ("what happened last night?", "why was shop slow at 2 PM?", "how much memory did we use yesterday?"). It reads the time (last night, 2 PM, yesterday, last hour, today), app names and metric words in the question, selects the matching beats, issues and events, and returns a short answer plus a labelled context to reason over. When an AI provider is configured (or the client lends its model) a model writes the answer from that context and `model` says which; otherwise the answer is rule-based. Model answers are rate-limited (1 per minute per caller by default); for the current state use pulse.status.',
  input: z.object({ question: z.string().min(3).max(500).describe('The question, in plain words') }),
  output: z.object({
    answer: z.string(),
    window: z.object({ from: z.string(), to: z.string(), label: z.string() }),
    apps: z.array(z.object({ slug: z.string(), requests: z.number(), errors: z.number(), maxP99: z.number(), sandboxErrors: z.number(), limitHits: z.number() })),
    metrics: z.array(z.object({ path: z.string(), label: z.string(), min: z.number(), max: z.number(), avg: z.number(), last: z.number() })),
    issues: z.array(z.object({ key: z.string(), severity: z.string(), title: z.string(), beats: z.number(), recommendation: z.string() })),
    events: z.array(z.object({ at: z.string(), type: z.string(), summary: z.string() })),
    beats: z.number(),
    context: z.string().describe('Labelled facts for a model to answer from'),
    analyser: z.string().describe("'rules', or 'model' when a model wrote the answer"),
    model: z.string().optional().describe('Which model answered (provider/model)'),
    fallback: z.string().optional().describe('Why the rule answer was used although a model was available'),
  }),
  requires: 'kernel:pulse:read',
  risk: 'read',
  cli: { positional: ['question'] },
  handler: async ({ kernel, caller, sample, signal }, input) => {
    const pulse = kernel.services.pulse;
    const useModel = modelAvailable(kernel, sample);
    // Only a model costs anything; the rule answer is free to ask for.
    if (useModel) pulse.checkAskRate(caller.tokenId ?? `${caller.kind}:${caller.name}`);
    const now = Date.now();
    const parsed = parseTimeWindow(input.question, now);
    const window = parsed ?? { fromMs: now - 24 * 3_600_000, toMs: now, label: 'last 24 hours' };
    const beats = pulse.store.range(window.fromMs, window.toMs, 5000);
    const appList = kernel.services.apps?.list(true) ?? [];
    const apps = mentionedApps(input.question, appList);
    const seen = new Set<string>();
    const events = [...pulse.events.between(window.fromMs, window.toMs).reverse(), ...storedEvents(kernel.db, window.fromMs, window.toMs)]
      .filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)))
      .filter((e) => !apps.length || apps.some((s) => JSON.stringify(e.data ?? '').includes(s)) || !/app/.test(e.type));
    const a = answer({
      question: input.question, window, defaultWindow: !parsed, beats, events, apps,
      metrics: mentionedMetrics(input.question), latest: pulse.store.latest(),
    });
    const base = {
      ...a,
      window: { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString(), label: window.label },
      beats: beats.length,
      analyser: 'rules',
    };
    if (!useModel) return base;
    const m = await askModel(kernel, caller, a.context, sample, signal);
    if ('failed' in m) return { ...base, fallback: m.failed };
    return { ...base, answer: m.text, analyser: 'model', model: m.model };
  },
});
