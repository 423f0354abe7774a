import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpError } from '../../kernel/ops/errors.js';
import { DEFAULT_BODY_LIMITS } from './body-limits.js';
import { parseJsonBody } from './json-body.js';

/**
 * Reads a request body, refusing (413) as soon as it passes `limit` bytes: a declared
 * length above it is refused before a byte is read, so at most `limit` is ever buffered.
 */
export async function readBody(req: IncomingMessage, limit: number, tooLargeMessage?: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit, tooLargeMessage);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit, tooLargeMessage);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A JSON body (`{}` when empty), within `limit` bytes and `maxDepth` levels of nesting. */
export async function readJson(req: IncomingMessage, limit: number, maxDepth = DEFAULT_BODY_LIMITS.maxJsonDepth, tooLargeMessage?: string): Promise<unknown> {
  const buf = await readBody(req, limit, tooLargeMessage);
  if (!buf.length) return {};
  return parseJsonBody(buf, maxDepth);
}

/**
 * Call before answering a request whose body was refused or not read: the connection
 * is closed after the answer, instead of Node reading (and discarding) the rest of a
 * body that may be as large as the client cares to announce.
 */
export function closeIfBodyUnread(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent || req.complete) return;
  const announced = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (announced) res.setHeader('connection', 'close');
}

function tooLarge(limit: number, message = `The request body is larger than the limit of ${limit} bytes.`): OpError {
  return new OpError('TOO_LARGE', message, { limit });
}
