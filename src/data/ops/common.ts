import { z } from 'zod';
import { parseDuration } from '../../auth/tokens.js';
import type { Kernel } from '../../kernel/kernel.js';
import { OpError } from '../../kernel/ops/errors.js';
import { appRef } from '../../apps/schemas.js';
import type { DataScope } from '../api.js';

/** Reading needs kernel-wide storage access or read access to that one app. */
export const READ_CAPS = ['kernel:storage:read', 'app:{app}:read'];
export const WRITE_CAPS = ['kernel:storage:write', 'app:{app}:write'];

export const appField = appRef.describe('App id (app_…) or slug whose data to use');
export const userField = z
  .string()
  .min(1)
  .max(256)
  .optional()
  .describe("A signed-in user's id, to use that user's private data (fazt.app.user.*) instead of the app's shared data");
export const collectionField = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1-64 letters, digits, _ or -')
  .describe('Collection name, e.g. posts');
export const jsonObject = z.record(z.string(), z.unknown());

/** The data scope of an op call: always the app named in the (already authorized) input. */
export function scopeFor(kernel: Kernel, input: { app: string; user?: string }): DataScope {
  const app = kernel.services.apps.get(input.app);
  return input.user === undefined ? { appId: app.id } : { appId: app.id, userId: input.user };
}

/** `1h`, `30m`, `7d`, `500ms`, or a number of milliseconds (also as a string). */
export function parseTtl(ttl: string | number | undefined): number | undefined {
  if (ttl === undefined) return undefined;
  const ms = typeof ttl === 'number' ? ttl : /^\d+$/.test(ttl.trim()) ? Number(ttl) : parseDuration(ttl);
  if (ms === null || !Number.isFinite(ms) || ms <= 0) {
    throw new OpError('BAD_INPUT', `ttl: '${ttl}' is not a duration like 30s, 1h, 7d or a positive number of milliseconds.`, {
      fields: [{ path: 'ttl', message: 'expected 30s, 1h, 7d or milliseconds' }],
    });
  }
  return ms;
}
