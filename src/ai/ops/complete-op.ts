import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';

const message = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });

const completeFields = z.object({
  prompt: z.string().optional().describe('The question or instruction (or give messages)'),
  messages: z.array(message).min(1).max(200).optional().describe('A conversation, oldest first'),
  system: z.string().optional().describe('System prompt'),
  model: z.string().min(1).max(200).optional().describe("Model id; default: the provider's default model"),
  provider: z.string().min(1).max(50).optional().describe('Provider id (anthropic, openai, google, ollama); default: the default provider'),
  maxTokens: z.number().int().min(1).max(64_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  json: z.record(z.string(), z.unknown()).optional().describe('A JSON Schema the answer must satisfy; the answer is then `object`'),
});
const onePrompt = [(i: { prompt?: string; messages?: unknown[] }) => (i.prompt === undefined) !== (i.messages === undefined), { message: 'give exactly one of prompt or messages' }] as const;

export const completeInput = completeFields.refine(...onePrompt);

/** What app code may pass to fazt.ai.complete: the model and provider are the manifest's. */
export const appCompleteInput = completeFields.omit({ model: true, provider: true }).strict().refine(...onePrompt);

export const completeOutput = z.object({
  text: z.string().optional(),
  object: z.unknown().optional(),
  model: z.string(),
  provider: z.string(),
  usage: z.object({ inputTokens: z.number().int(), outputTokens: z.number().int() }),
  costUsd: z.number(),
  ms: z.number(),
});

export const aiComplete = defineOp({
  name: 'ai.complete',
  title: 'Ask a model',
  description:
    "Sends a prompt (or messages) to the configured AI provider and returns the answer, the model, tokens used and the cost in USD. With `json` (a JSON Schema) the answer is a validated object. Secrets and fazt tokens are removed from what is sent. Over HTTP, 'Accept: text/event-stream' streams the text.",
  input: completeInput,
  output: completeOutput,
  requires: 'kernel:ai:use',
  risk: 'write',
  streams: true,
  longRunning: true,
  cli: { command: ['ai', 'complete'], positional: ['prompt'] },
  handler: ({ kernel, caller, signal, text, sample }, input) => kernel.services.ai.complete(input, { caller, signal, onText: text, sample }),
});
