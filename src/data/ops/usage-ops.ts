import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { appField, READ_CAPS } from './common.js';

const count = z.object({ count: z.number().int(), bytes: z.number().int() });

export const storageUsageOp = defineOp({
  name: 'storage.usage',
  title: 'Storage used by an app',
  description: "How much an app keeps in fazt's storage: kv entries, documents and files, with their sizes in bytes (all of its users included).",
  input: z.object({ app: appField }),
  output: z.object({
    app: z.string(),
    kv: z.object({ entries: z.number().int(), bytes: z.number().int() }),
    docs: count,
    blobs: count,
    totalBytes: z.number().int(),
  }),
  requires: READ_CAPS,
  risk: 'read',
  idempotent: true,
  cli: { command: ['storage', 'usage'], positional: ['app'] },
  handler: ({ kernel }, input) => {
    const app = kernel.services.apps.get(input.app);
    const { appId: _, ...u } = kernel.services.storage.usage(app.id)[0];
    return { app: app.slug, ...u };
  },
});
