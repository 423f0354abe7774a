import { providerError } from '../errors.js';
import { sleep } from '../http.js';

/**
 * Polls a provider action until it ends: `check` returns 'done', 'failed: <why>'
 * or 'running'. Waits grow from 250 ms to 5 s; after `limitMs` it gives up.
 */
export async function pollAction(provider: string, what: string, check: () => Promise<'done' | 'running' | { failed: string }>, opts: { signal?: AbortSignal; limitMs?: number; firstMs?: number } = {}): Promise<void> {
  const until = Date.now() + (opts.limitMs ?? 10 * 60_000);
  let wait = opts.firstMs ?? 250;
  for (;;) {
    const r = await check();
    if (r === 'done') return;
    if (typeof r === 'object') throw providerError(provider, 200, `${what} failed: ${r.failed}`);
    if (Date.now() > until) throw providerError(provider, 200, `${what} did not finish in time`);
    await sleep(wait, opts.signal);
    wait = Math.min(wait * 2, 5_000);
  }
}
