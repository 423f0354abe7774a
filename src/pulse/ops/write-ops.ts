import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { thresholdsSchema } from '../analysis/thresholds.js';
import { fmtMs } from '../config.js';
import { collectorStatusSchema, costSchema, healthSchema, issueSchema } from './schemas.js';

const WRITE = 'kernel:pulse:write';

export const pulseBeat = defineOp({
  name: 'pulse.beat',
  title: 'Run a pulse beat',
  description:
    'Collects all metrics now (process, host, http, apps, storage, safety, certs), analyses them and stores the beat, instead of waiting for the next scheduled one. Returns health, issues, the metrics, which collectors failed and what the beat cost. Use pulse.status to just read the latest state.',
  input: z.object({}),
  output: z.object({
    id: z.number(),
    at: z.string(),
    health: healthSchema,
    summary: z.string(),
    issues: z.array(issueSchema),
    patterns: z.array(z.string()),
    security: z.array(z.string()),
    metrics: z.record(z.string(), z.unknown()),
    collectors: collectorStatusSchema,
    cost: costSchema,
    stored: z.boolean(),
    attempts: z.number(),
    storeError: z.string().optional(),
  }),
  requires: WRITE,
  risk: 'write',
  handler: async ({ kernel }) => {
    const b = await kernel.services.pulse.beat({ trigger: 'op' });
    return {
      id: b.id, at: b.at, health: b.health, summary: b.summary, issues: b.analysis.issues,
      patterns: b.analysis.patterns, security: b.analysis.security, metrics: b.metrics, collectors: b.collectors,
      cost: b.cost, stored: b.stored, attempts: b.attempts, ...(b.storeError ? { storeError: b.storeError } : {}),
    };
  },
});

const configOutput = z.object({
  interval: z.string(),
  retention: z.string(),
  askPerMinute: z.number(),
  thresholds: thresholdsSchema,
  analyser: z.enum(['rules', 'ai']),
});

export const pulseConfigure = defineOp({
  name: 'pulse.configure',
  title: 'Configure pulse',
  description:
    'Changes how often pulse beats (interval, e.g. 30s, 15m, 1h), how long beats are kept (retention, 1h-30d), how many pulse.ask questions a caller may ask per minute, and the analysis thresholds (e.g. {"diskWarningPercent": 80, "minRequests": 50}) and the analyser (rules, or ai to let the configured model read each beat). Omitted fields keep their value; with no fields it returns the current settings. Changes are saved.',
  input: z.object({
    interval: z.string().optional().describe('Time between beats: 30s, 15m, 1h (1s-24h)'),
    retention: z.string().optional().describe('How long beats are kept: 1h-30d'),
    askPerMinute: z.number().int().min(0).max(600).optional().describe('Model-worded pulse.ask answers per minute per caller (0 = unlimited); rule-based answers are never limited'),
    thresholds: thresholdsSchema.partial().strict().optional().describe('Analysis thresholds to change'),
    analyser: z.enum(['rules', 'ai']).optional().describe("'ai' lets the configured model read each beat (rules stay authoritative; falls back to rules on any failure)"),
  }),
  output: configOutput,
  requires: WRITE,
  risk: 'write',
  handler: ({ kernel }, input) => {
    const pulse = kernel.services.pulse;
    const c = Object.keys(input).length ? pulse.configure(input) : pulse.config;
    return { interval: fmtMs(c.intervalMs), retention: fmtMs(c.retentionMs), askPerMinute: c.askPerMinute, thresholds: c.thresholds, analyser: c.analyser };
  },
});
