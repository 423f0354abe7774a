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
});

/** An app reference: its id (app_…) or its slug. */
export const appRef = z.string().min(1).max(100).describe('App id (app_…) or slug');
