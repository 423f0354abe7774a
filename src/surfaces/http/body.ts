import type { IncomingMessage } from 'node:http';
import { OpError } from '../../kernel/ops/errors.js';

/** Reads a request body, refusing (413) as soon as it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const buf = await readBody(req, limit);
  if (!buf.length) return {};
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new OpError('BAD_INPUT', `The request body is not valid JSON: ${(err as Error).message}`);
  }
}

function tooLarge(limit: number): OpError {
  return new OpError('TOO_LARGE', `The request body is larger than the limit of ${limit} bytes.`, { limit });
}
