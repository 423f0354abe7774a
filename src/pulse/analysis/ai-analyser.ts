import { z } from 'zod';
import type { FaztEvent } from '../../events/bus.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Caller } from '../../kernel/ops/define.js';
import { toOpError } from '../../kernel/ops/errors.js';
import { issueSchema } from '../ops/schemas.js';
import { SEVERITY_RANK, type Analyser, type Analysis, type BeatFacts, type Health, type PastBeat } from './types.js';

const PULSE_CALLER: Caller = { kind: 'system', name: 'pulse', caps: [], human: false };
const TIMEOUT_MS = 10_000;
const HEALTH_RANK: Record<Health, number> = { healthy: 0, degraded: 1, critical: 2 };

/** What the model must return: the rule analyser's schema, checked before anything uses it. */
const modelAnalysis = z.object({
  health: z.enum(['healthy', 'degraded', 'critical']),
  summary: z.string().min(1).max(500),
  issues: z.array(issueSchema).max(20),
  patterns: z.array(z.string().max(300)).max(10),
  security: z.array(z.string().max(300)).max(10),
});

const SYSTEM = [
  "You analyse one health beat of fazt, a personal cloud server. You get the current metrics, the issues fazt's own rules found,",
  'the last beats and recent events. Return JSON only. Keep every rule issue unless the data clearly contradicts it; add an issue',
  'only for something the data shows. Never invent numbers. A healthy server with nothing notable is "healthy" with no issues.',
].join(' ');

/**
 * An analyser that lets a model read the beat. The deterministic rules run
 * first and stay authoritative: the model may add issues, raise health and
 * write the summary, never remove what the rules found. Any failure, timeout
 * or invalid answer gives the rule analysis, saying why in `analyser`.
 */
export class AiAnalyser implements Analyser {
  readonly name = 'ai';

  constructor(
    private readonly kernel: Kernel,
    private readonly rules: Analyser,
  ) {}

  async analyse(beat: BeatFacts, history: PastBeat[], events: FaztEvent[]): Promise<Analysis> {
    const base = await this.rules.analyse(beat, history, events);
    try {
      const r = await this.kernel.services.ai.complete(
        { system: SYSTEM, prompt: prompt(beat, history, events, base), json: z.toJSONSchema(modelAnalysis) as Record<string, unknown>, maxTokens: 2_000, temperature: 0 },
        { caller: PULSE_CALLER, timeoutMs: TIMEOUT_MS },
      );
      const parsed = modelAnalysis.safeParse(r.object);
      if (!parsed.success) return { ...base, analyser: `rules (the model's analysis was invalid: ${parsed.error.issues[0]?.message ?? 'unknown'})` };
      return merge(base, parsed.data, `ai:${r.provider}/${r.model}`);
    } catch (err) {
      return { ...base, analyser: `rules (model unavailable: ${toOpError(err).message.slice(0, 200)})` };
    }
  }
}

function merge(base: Analysis, m: z.infer<typeof modelAnalysis>, analyser: string): Analysis {
  const keys = new Set(base.issues.map((i) => i.key));
  const issues = [...base.issues, ...m.issues.filter((i) => !keys.has(i.key))].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const health = HEALTH_RANK[m.health] > HEALTH_RANK[base.health] ? m.health : base.health;
  return { health, summary: m.summary, issues, patterns: [...base.patterns, ...m.patterns], security: [...base.security, ...m.security], analyser };
}

function prompt(beat: BeatFacts, history: PastBeat[], events: FaztEvent[], base: Analysis): string {
  return [
    `BEAT AT: ${beat.at}`,
    `METRICS: ${JSON.stringify(beat.metrics)}`,
    `FAILED COLLECTORS: ${JSON.stringify(beat.failed)}`,
    `RULE ANALYSIS: ${JSON.stringify({ health: base.health, summary: base.summary, issues: base.issues })}`,
    'LAST BEATS:',
    ...history.slice(-12).map((h) => `- ${h.at}: ${h.issues.map((i) => `${i.severity} ${i.key}`).join(', ') || 'no issues'}`),
    'RECENT EVENTS:',
    ...events.slice(-30).map((e) => `- ${e.timestamp} ${e.type} ${JSON.stringify(e.data ?? null).slice(0, 200)}`),
  ].join('\n');
}
