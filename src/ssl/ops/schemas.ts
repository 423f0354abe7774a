import { z } from 'zod';

export const certSummarySchema = z.object({
  domain: z.string(),
  names: z.array(z.string()),
  source: z.enum(['acme', 'local', 'imported']),
  state: z.enum(['none', 'pending', 'valid', 'renewing', 'failed', 'expired', 'revoked']),
  serial: z.string().optional(),
  issuer: z.string().optional(),
  notBefore: z.string().optional(),
  notAfter: z.string().optional(),
  renewAt: z.string().optional(),
  failures: z.number().int(),
  nextAttemptAt: z.string().optional(),
  lastError: z.string().optional(),
  problem: z.unknown().optional().describe("The CA's problem document from the last failure"),
});

export const domainField = z.string().min(1).max(300).describe('Host name, e.g. photos.example.com (or *.example.com)');
