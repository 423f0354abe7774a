import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';

export const aiEmbed = defineOp({
  name: 'ai.embed',
  title: 'Embed text',
  description: 'Turns text into vectors with the provider\'s embedding model (for search and similarity). Give `text` or `texts`.',
  input: z
    .object({
      text: z.string().optional(),
      texts: z.array(z.string()).min(1).max(256).optional(),
      model: z.string().min(1).max(200).optional(),
      provider: z.string().min(1).max(50).optional(),
    })
    .refine((i) => (i.text === undefined) !== (i.texts === undefined), { message: 'give exactly one of text or texts' }),
  output: z.object({
    vectors: z.array(z.array(z.number())),
    dimensions: z.number().int(),
    model: z.string(),
    provider: z.string(),
    usage: z.object({ tokens: z.number().int() }),
    costUsd: z.number(),
  }),
  requires: 'kernel:ai:use',
  risk: 'write',
  cli: { command: ['ai', 'embed'], positional: ['text'] },
  handler: ({ kernel, caller, signal }, input) =>
    kernel.services.ai.embed(input.texts ?? [input.text!], { caller, signal, provider: input.provider, model: input.model }),
});
