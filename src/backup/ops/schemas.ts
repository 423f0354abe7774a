import { z } from 'zod';

export const backupId = z.string().regex(/^bk-\d{8}T\d{6}Z-[0-9a-f]{6}$/, 'a backup id looks like bk-20261129T043000Z-1a2b3c (see backup.list)');

export const backupEntry = z.object({
  id: z.string(),
  createdAt: z.string(),
  bytes: z.number(),
  sha256: z.string(),
  encrypted: z.boolean(),
  faztVersion: z.string(),
  note: z.string().optional(),
  location: z.string(),
});

export const keepSchema = z.object({
  last: z.number().int().min(1).max(1000),
  daily: z.number().int().min(0).max(1000),
  weekly: z.number().int().min(0).max(1000),
  monthly: z.number().int().min(0).max(1000),
});

export const every = z.string().regex(/^\d+[mhdw]$/, 'a whole number followed by m, h, d or w, e.g. "6h"');

export const countsSchema = z.object({ apps: z.number(), versions: z.number(), kvRows: z.number(), docs: z.number(), tables: z.number() });

export const passphrase = z.string().min(8).max(1024).describe('Encryption passphrase (at least 8 characters); never stored unless given to backup.configure');
