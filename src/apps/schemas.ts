import { z } from 'zod';

export const appSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  system: z.boolean(),
  activeVersion: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  url: z.string(),
  /** Custom domains (apps.get only), each with its certificate's state. */
  domains: z.array(z.lazy(() => appDomainSchema)).optional(),
});

export const certStateSchema = z.object({
  status: z.enum(['none', 'pending', 'valid', 'renewing', 'failed', 'expired', 'revoked']).describe('valid: served; failed: last attempt failed (an older certificate may still serve)'),
  source: z.enum(['acme', 'local', 'imported']).optional(),
  issuer: z.string().optional(),
  serial: z.string().optional(),
  notAfter: z.string().optional(),
  renewAt: z.string().optional(),
  lastError: z.string().optional(),
});

export const appDomainSchema = z.object({
  domain: z.string(),
  app: z.string().describe('App slug'),
  appId: z.string(),
  createdAt: z.string(),
  certificate: certStateSchema,
});

/** An app reference: its id (app_…) or its slug. */
export const appRef = z.string().min(1).max(100).describe('App id (app_…) or slug');
