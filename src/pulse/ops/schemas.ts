import { z } from 'zod';

export const issueSchema = z.object({
  key: z.string().describe('Stable id `<kind>:<subject>`, e.g. app.errors:shop'),
  severity: z.enum(['info', 'warning', 'critical']),
  title: z.string(),
  description: z.string(),
  recommendation: z.string().describe('What to do, naming the op that helps'),
  subject: z.string(),
  metric: z.string().describe('Metric path for pulse.trend'),
  value: z.number().nullable(),
});

export const healthSchema = z.enum(['healthy', 'degraded', 'critical']);

export const costSchema = z.object({ wallMs: z.number(), cpuMs: z.number() });

export const collectorStatusSchema = z.record(z.string(), z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() }));

export const hoursSchema = (def: number) =>
  z.number().int('hours must be a whole number').min(1, 'hours must be between 1 and 720').max(720, 'hours must be between 1 and 720 (30 days)').default(def);
