import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { SECRET_ACCESS_KEY, SECRET_ACCESS_KEY_ID, SECRET_PASSPHRASE, type BackupConfig, type TargetConfig } from '../config.js';
import { every, keepSchema, passphrase } from './schemas.js';

const localTarget = z.object({
  type: z.literal('local'),
  dir: z.string().min(1).optional().describe('Directory for backups (default <data>/backups)'),
});

const s3Target = z.object({
  type: z.literal('s3'),
  endpoint: z.url({ protocol: /^https?$/ }).describe('S3 endpoint, e.g. https://s3.eu-central-1.amazonaws.com, https://<account>.r2.cloudflarestorage.com'),
  bucket: z.string().min(3).max(63),
  region: z.string().min(1).max(50).default('us-east-1').describe('Signing region ("auto" for R2)'),
  prefix: z.string().max(200).regex(/^([^/].*\/)?$/, 'empty, or a path ending in "/" (e.g. "fazt/")').default(''),
  accessKeyId: z.string().min(1).max(200).optional().describe('Stored encrypted in the secrets store'),
  secretAccessKey: z.string().min(1).max(200).optional().describe('Stored encrypted in the secrets store'),
});

export const backupConfigure = defineOp({
  name: 'backup.configure',
  title: 'Configure backups',
  description:
    'Sets the backup schedule (every: "6h"; "off" for manual only), grandfather-father-son retention (keep: {last, daily, weekly, monthly}), the target (local directory, or any S3-compatible bucket whose keys are stored encrypted), client-side encryption with a passphrase, and how often the newest backup is verified (verifyEvery, default "7d"). Fields left out keep their value.',
  input: z.object({
    every: z.union([every, z.literal('off')]).optional(),
    keep: keepSchema.partial().optional(),
    target: z.discriminatedUnion('type', [localTarget, s3Target]).optional(),
    encrypt: z.boolean().optional().describe('Encrypt scheduled backups with the stored passphrase'),
    passphrase: passphrase.optional(),
    verifyEvery: z.union([every, z.literal('off')]).optional(),
  }),
  output: z.object({
    every: z.string().nullable(),
    verifyEvery: z.string().nullable(),
    keep: keepSchema,
    target: z.record(z.string(), z.unknown()),
    encrypt: z.boolean(),
    hasPassphrase: z.boolean(),
    hasCredentials: z.boolean(),
  }),
  requires: 'kernel:backup:write',
  risk: 'write',
  cli: { command: ['backup', 'configure'] },
  handler: ({ kernel }, input) => {
    const svc = kernel.services.backup;
    const secrets = kernel.services.secrets;
    const cur = svc.config();
    let target: TargetConfig = cur.target;
    if (input.target?.type === 's3') {
      const { accessKeyId, secretAccessKey, ...rest } = input.target;
      const hasStored = secrets.has(SECRET_ACCESS_KEY_ID) && secrets.has(SECRET_ACCESS_KEY);
      if ((!accessKeyId || !secretAccessKey) && !hasStored) {
        throw new OpError('BAD_INPUT', 'An S3 target needs target.accessKeyId and target.secretAccessKey (stored encrypted; give them once).');
      }
      if (accessKeyId) secrets.set(SECRET_ACCESS_KEY_ID, accessKeyId);
      if (secretAccessKey) secrets.set(SECRET_ACCESS_KEY, secretAccessKey);
      target = rest;
    } else if (input.target) {
      target = input.target;
    }
    if (input.passphrase) secrets.set(SECRET_PASSPHRASE, input.passphrase);
    const encrypt = input.encrypt ?? cur.encrypt;
    if (encrypt && !secrets.has(SECRET_PASSPHRASE)) throw new OpError('BAD_INPUT', 'encrypt=true needs a passphrase: give passphrase (at least 8 characters) too.');
    const next: BackupConfig = {
      every: input.every === undefined ? cur.every : input.every === 'off' ? null : input.every,
      verifyEvery: input.verifyEvery === undefined ? cur.verifyEvery : input.verifyEvery === 'off' ? null : input.verifyEvery,
      keep: { ...cur.keep, ...(input.keep ?? {}) },
      target,
      encrypt,
    };
    svc.saveConfig(next);
    return {
      every: next.every,
      verifyEvery: next.verifyEvery,
      keep: next.keep,
      target: { ...next.target },
      encrypt: next.encrypt,
      hasPassphrase: secrets.has(SECRET_PASSPHRASE),
      hasCredentials: secrets.has(SECRET_ACCESS_KEY_ID) && secrets.has(SECRET_ACCESS_KEY),
    };
  },
});
