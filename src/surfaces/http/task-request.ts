import type { IncomingMessage } from 'node:http';

/**
 * A POST asks to run as a task with `Prefer: respond-async` (RFC 7240) or `?task=true`:
 * outside the body, so it never collides with an op's own input fields.
 */
export function wantsTask(req: IncomingMessage, url: URL): boolean {
  const prefer = req.headers.prefer;
  const values = (Array.isArray(prefer) ? prefer.join(',') : (prefer ?? '')).toLowerCase().split(/[,;]/).map((s) => s.trim());
  return req.method === 'POST' && (values.includes('respond-async') || url.searchParams.get('task') === 'true');
}
