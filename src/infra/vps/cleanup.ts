import { OpError } from '../../kernel/ops/errors.js';

/**
 * Runs the steps after a billed resource exists; when one fails the resource is
 * destroyed, and when even that fails the error names its id so the owner can.
 */
export async function destroyAfterFailure(provider: string, id: string, destroy: () => Promise<void>, steps: () => Promise<void>): Promise<void> {
  try {
    await steps();
  } catch (err) {
    const e = err instanceof OpError ? err : new OpError('INFRA_PROVIDER_ERROR', (err as Error).message);
    try {
      await destroy();
    } catch (cleanupErr) {
      throw new OpError(e.code, `${e.message} The server ${provider}:${id} could not be deleted (${(cleanupErr as Error).message}); delete it yourself, it may be billed.`, { ...e.details, leftServer: `${provider}:${id}` });
    }
    throw new OpError(e.code, `${e.message} The half-created server ${provider}:${id} was deleted; nothing is billed.`, { ...e.details, deletedServer: `${provider}:${id}` });
  }
}
