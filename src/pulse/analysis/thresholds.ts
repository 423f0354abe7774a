import { z } from 'zod';

/** Limits the rule analyser applies; every one can be changed with pulse.configure. */
export const thresholdsSchema = z.object({
  memoryWarningPercent: z.number().min(1).max(100).describe('Host memory use that is a warning'),
  memoryCriticalPercent: z.number().min(1).max(100).describe('Host memory use that is critical'),
  diskWarningPercent: z.number().min(1).max(100).describe('Disk use (data dir volume) that is a warning'),
  diskCriticalPercent: z.number().min(1).max(100).describe('Disk use that is critical'),
  errorRateWarningPercent: z.number().min(0).max(100).describe('Share of 5xx responses that is a warning'),
  errorRateCriticalPercent: z.number().min(0).max(100).describe('Share of 5xx responses that is critical'),
  minRequests: z.number().int().min(1).describe('Requests needed in a beat before error rate or latency counts'),
  p99WarningMs: z.number().positive().describe('p99 latency that is a warning'),
  eventLoopP99WarningMs: z.number().positive().describe('Event-loop delay p99 that is a warning'),
  cpuWarningPercent: z.number().positive().describe('Process CPU (percent of one core) that is a warning'),
  haltStaleHours: z.number().positive().describe('A pending halt older than this is a warning'),
  deniedCallsWarning: z.number().int().min(1).describe('Refused calls in one beat that are a security warning'),
  authFailuresWarning: z.number().int().min(1).describe('Failed authentications (missing or bad tokens) in one beat that are a security warning'),
  certWarningDays: z.number().positive().describe('Certificate expiry within this many days is a warning'),
  certCriticalDays: z.number().positive().describe('Certificate expiry within this many days is critical'),
  dbSizeWarningMb: z.number().positive().describe('data.db + WAL size that is a warning'),
  spikeFactor: z.number().min(1).describe('Traffic this many times the recent average is a spike'),
  zScore: z.number().positive().describe('Standard deviations from the recent mean that make an anomaly'),
  clearRatio: z.number().min(0.5).max(1).describe('An issue clears only below this fraction of its threshold (hysteresis)'),
});

export type Thresholds = z.infer<typeof thresholdsSchema>;

export const DEFAULT_THRESHOLDS: Thresholds = {
  memoryWarningPercent: 80,
  memoryCriticalPercent: 90,
  diskWarningPercent: 85,
  diskCriticalPercent: 95,
  errorRateWarningPercent: 5,
  errorRateCriticalPercent: 20,
  minRequests: 20,
  p99WarningMs: 1000,
  eventLoopP99WarningMs: 200,
  cpuWarningPercent: 90,
  haltStaleHours: 12,
  deniedCallsWarning: 20,
  authFailuresWarning: 20,
  certWarningDays: 30,
  certCriticalDays: 7,
  dbSizeWarningMb: 2048,
  spikeFactor: 3,
  zScore: 3,
  clearRatio: 0.9,
};
