import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { listablePaths, resolveMetric } from '../metric-paths.js';
import { computeInsights } from '../query/insights.js';
import { knownPaths, seriesOf, statsOf } from '../query/series.js';
import { costSchema, healthSchema, hoursSchema, issueSchema } from './schemas.js';
import type { Kernel } from '../../kernel/kernel.js';

const READ = 'kernel:pulse:read';

/** The latest beat, running one first when there is none yet. */
async function latestBeat(kernel: Kernel) {
  const pulse = kernel.services.pulse;
  return pulse.store.latest() ?? (await pulse.beat({ trigger: 'status' }));
}

export const pulseStatus = defineOp({
  name: 'pulse.status',
  title: 'Server health',
  description:
    'How is my server doing? Returns the current health (healthy, degraded or critical), a one-sentence summary, the open issues with a recommended op for each, patterns and security notes, from the latest pulse beat (one is run now if none exists). Use this first for any question about the server\'s state.',
  input: z.object({ fresh: z.boolean().default(false).describe('Run a new beat instead of reading the latest one') }),
  output: z.object({
    health: healthSchema,
    summary: z.string(),
    issues: z.array(issueSchema),
    patterns: z.array(z.string()),
    security: z.array(z.string()),
    lastBeatAt: z.string(),
    beatAgeSeconds: z.number(),
    beatId: z.number(),
    intervalSeconds: z.number(),
    failedCollectors: z.array(z.string()),
    analyser: z.string().describe("Who analysed the beat: 'rules', 'ai:<provider>/<model>', or rules with the reason a model was not used"),
  }),
  requires: READ,
  risk: 'read',
  handler: async ({ kernel }, input) => {
    const pulse = kernel.services.pulse;
    const b = input.fresh ? await pulse.beat({ trigger: 'status' }) : await latestBeat(kernel);
    return {
      health: b.health,
      summary: b.summary,
      issues: b.analysis.issues,
      patterns: b.analysis.patterns,
      security: b.analysis.security,
      lastBeatAt: b.at,
      beatAgeSeconds: Math.max(0, Math.round((Date.now() - b.atMs) / 1000)),
      beatId: b.id,
      intervalSeconds: pulse.config.intervalMs / 1000,
      failedCollectors: Object.entries(b.collectors).filter(([, c]) => !c.ok).map(([n]) => n),
      analyser: b.analysis.analyser,
    };
  },
});

export const pulseHistory = defineOp({
  name: 'pulse.history',
  title: 'Health history',
  description:
    'Past pulse beats in the last N hours (1-720), newest first: time, health, summary, the issue keys open then, and what each beat cost. Use it to see when a problem started or how often the server was degraded.',
  input: z.object({ hours: hoursSchema(24).describe('How far back, in hours (1-720)'), limit: z.number().int().min(1).max(1000).default(200).describe('Most beats to return') }),
  output: z.object({
    hours: z.number(),
    count: z.number(),
    beats: z.array(z.object({
      id: z.number(), at: z.string(), health: healthSchema, summary: z.string(),
      issues: z.array(z.object({ key: z.string(), severity: z.string(), title: z.string() })),
      cost: costSchema, failedCollectors: z.array(z.string()),
    })),
  }),
  requires: READ,
  risk: 'read',
  handler: ({ kernel }, input) => {
    const now = Date.now();
    const beats = kernel.services.pulse.store.range(now - input.hours * 3_600_000, now + 60_000, 100_000);
    const newest = beats.reverse().slice(0, input.limit);
    return {
      hours: input.hours,
      count: beats.length,
      beats: newest.map((b) => ({
        id: b.id, at: b.at, health: b.health, summary: b.summary,
        issues: b.analysis.issues.map((i) => ({ key: i.key, severity: i.severity, title: i.title })),
        cost: b.cost,
        failedCollectors: Object.entries(b.collectors).filter(([, c]) => !c.ok).map(([n]) => n),
      })),
    };
  },
});

export const pulseTrend = defineOp({
  name: 'pulse.trend',
  title: 'Metric trend',
  description:
    'One metric over the last N hours as {timestamps, values}, oldest first, with min/max/avg/last. Metric is a path like memory, memory.used, disk, cpu, http.p99, http.requests, http.errorRate, apps.<slug>.requests, apps.<slug>.errors, process.rssMb, storage.totalMb; an unknown metric returns the list of valid paths.',
  input: z.object({
    metric: z.string().min(1).describe('Metric path or alias (memory, cpu, disk, http.p99, apps.<slug>.errors, ...)'),
    hours: hoursSchema(24).describe('How far back, in hours (1-720)'),
  }),
  output: z.object({
    metric: z.string(),
    path: z.string(),
    hours: z.number(),
    timestamps: z.array(z.string()),
    values: z.array(z.number()),
    stats: z.object({ min: z.number(), max: z.number(), avg: z.number(), last: z.number() }).nullable(),
  }),
  requires: READ,
  risk: 'read',
  cli: { positional: ['metric'] },
  handler: async ({ kernel }, input) => {
    const pulse = kernel.services.pulse;
    const latest = await latestBeat(kernel);
    const now = Date.now();
    const beats = pulse.store.range(now - input.hours * 3_600_000, now + 60_000, 100_000);
    const known = knownPaths([latest, ...beats]);
    const path = resolveMetric(input.metric, known);
    if (!path) {
      const valid = listablePaths(known);
      throw new OpError('BAD_INPUT', `Unknown metric '${input.metric}'. Valid metrics: ${valid.slice(0, 60).join(', ')}${valid.length > 60 ? ', …' : ''}.`, {
        fields: [{ path: 'metric', message: 'unknown metric path' }],
        validPaths: valid,
      });
    }
    const s = seriesOf(beats, path);
    return { metric: input.metric, path, hours: input.hours, ...s, stats: statsOf(s.values) };
  },
});

export const pulseInsights = defineOp({
  name: 'pulse.insights',
  title: 'Health insights',
  description:
    'What stood out in the last N hours (default 24): issues that kept coming back, metrics that drifted (memory, latency, traffic, database size), the busiest apps, how often the server was healthy, and what beats cost. Good for a daily review.',
  input: z.object({ hours: hoursSchema(24).describe('How far back, in hours (1-720)') }),
  output: z.object({
    hours: z.number(),
    beats: z.number(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    health: z.object({ healthy: z.number(), degraded: z.number(), critical: z.number() }),
    recurring: z.array(z.object({
      key: z.string(), title: z.string(), severity: z.string(), occurrences: z.number(),
      firstSeen: z.string(), lastSeen: z.string(), open: z.boolean(), recommendation: z.string(),
    })),
    changes: z.array(z.object({ metric: z.string(), label: z.string(), from: z.number(), to: z.number(), changePercent: z.number(), description: z.string() })),
    busiestApps: z.array(z.object({ slug: z.string(), requests: z.number(), errors: z.number() })),
    cost: z.object({ avgWallMs: z.number(), avgCpuMs: z.number() }),
    notes: z.array(z.string()),
  }),
  requires: READ,
  risk: 'read',
  handler: ({ kernel }, input) => {
    const now = Date.now();
    const beats = kernel.services.pulse.store.range(now - input.hours * 3_600_000, now + 60_000, 100_000);
    return { hours: input.hours, ...computeInsights(beats) };
  },
});

