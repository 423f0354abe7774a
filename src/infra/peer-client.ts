import { OpError } from '../kernel/ops/errors.js';
import { canceled } from './errors.js';

/** How long one call to another node may take: a certificate order is the slowest (minutes at worst). */
export const PEER_CALL_TIMEOUT_MS = 5 * 60_000;

export interface PeerAccess {
  url: string;
  token: string;
}

/**
 * One op on another fazt node over its HTTP API, with the token it gave this
 * node. Its errors come back as they are, the node named; a call that node
 * halts for its own owner is reported, not waited for.
 */
export async function callPeer(server: string, peer: PeerAccess, op: string, input: unknown, signal?: AbortSignal): Promise<unknown> {
  const timeout = AbortSignal.timeout(PEER_CALL_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(`${peer.url}/api/ops/${encodeURIComponent(op)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${peer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (err) {
    if (signal?.aborted) throw canceled(`${op} on ${server} was stopped`);
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new OpError('UNAVAILABLE', `The fazt on ${server} (${peer.url}) cannot be reached: ${cause}.`, { server });
  }
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.status === 202 && body && 'haltId' in body) {
    throw new OpError('PEER_HALTED', `${op} waits for the owner of ${server} (halt ${String(body.haltId)}): ${String(body.reason ?? '')}`, { server, haltId: body.haltId });
  }
  if (!res.ok) {
    const e = (body?.error ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
    throw new OpError(e.code ?? 'INFRA_PROVIDER_ERROR', `${server}: ${e.message ?? `HTTP ${res.status}`}`, { server, ...(e.details ?? {}) });
  }
  return body;
}
