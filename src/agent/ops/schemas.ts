import { z } from 'zod';
import { AUTONOMY, PERSONALITY } from '../config.js';

export const autonomy = z.enum(AUTONOMY).describe('low: observe and notify; medium: act alone on safe allow-listed writes; high: also other reversible writes. Destructive or costly ops always ask.');
export const personality = z.enum(PERSONALITY).describe('helpful explains, terse states, cautious asks more (medium renews certificates alone, nothing else)');

const opCall = z.object({ op: z.string(), input: z.record(z.string(), z.unknown()) });

export const configSchema = z.object({
  autonomy,
  personality,
  channels: z.array(z.string()),
  shadow: z.boolean(),
  apps: z.record(z.string(), z.object({ autonomy })),
  budgets: z.object({ perIncident: z.number().int(), perHour: z.number().int() }),
  pausedUntil: z.string().nullable(),
});

export const decisionSchema = z.object({
  id: z.string(),
  at: z.string(),
  incident: z.string(),
  issueKey: z.string(),
  beatId: z.number().nullable(),
  kind: z.string(),
  subject: z.string(),
  app: z.string().nullable(),
  level: z.string(),
  shadow: z.boolean(),
  observation: z.string(),
  options: z.array(z.string()),
  choice: z.string(),
  why: z.string(),
  action: opCall.nullable(),
  haltId: z.string().nullable(),
  outcome: z.string(),
  verification: z.string().nullable(),
  undo: opCall.extend({ description: z.string() }).nullable(),
  undone: z.boolean(),
  recurred: z.boolean(),
  detectedAt: z.string(),
  actedAt: z.string().nullable(),
  detectToActionMs: z.number().nullable(),
  resolvedAt: z.string().nullable(),
});

export const preferenceSchema = z.object({
  kind: z.string(),
  subject: z.string(),
  op: z.string(),
  approvals: z.number().int(),
  promoted: z.boolean(),
  suppressedUntil: z.string().nullable(),
  note: z.string().nullable(),
  updatedAt: z.string(),
});
