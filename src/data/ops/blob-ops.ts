import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { appField, READ_CAPS, scopeFor, userField } from './common.js';

export const blobsList = defineOp({
  name: 'storage.blobs.list',
  title: 'List app files',
  description:
    "Lists files an app stored with fazt.app.s3 (path, size, content type, last change), in path order, optionally only paths starting with a prefix.",
  input: z.object({
    app: appField,
    prefix: z.string().max(1024).default('').describe('Only paths starting with this text, e.g. uploads/'),
    limit: z.number().int().min(1).max(1000).default(100).describe('At most this many files (1-1000)'),
    user: userField,
  }),
  output: z.object({ blobs: z.array(z.object({ path: z.string(), size: z.number().int(), mime: z.string(), updatedAt: z.string() })) }),
  requires: READ_CAPS,
  risk: 'read',
  idempotent: true,
  cli: { command: ['storage', 'blobs', 'list'], positional: ['app', 'prefix'] },
  handler: ({ kernel }, input) => ({ blobs: kernel.services.storage.blobs.list(scopeFor(kernel, input), input.prefix, input.limit) }),
});

export const blobOps = [blobsList];
