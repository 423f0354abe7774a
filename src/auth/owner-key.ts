import { AuditLog } from '../audit/audit-log.js';
import type { Caller, Surface } from '../kernel/ops/define.js';
import type { DB } from '../store/db.js';
import { OWNER_CAPS, TokenStore } from './tokens.js';
import { switchOffTotp } from './totp.js';

/**
 * Creates the owner key when there is none and returns it (to show once and save
 * in client.json); undefined when an owner key exists. The server calls this only
 * once it listens, so a start that fails earlier leaves no key nobody has seen.
 */
export function createOwnerIfMissing(db: DB, tokens: TokenStore): string | undefined {
  return db
    .transaction(() => (tokens.hasOwner() ? undefined : tokens.create('owner', 'owner', OWNER_CAPS, null).token))
    .immediate();
}

/** Whoever can open the data dir's files: they could read or replace data.db anyway. */
const DATA_DIR_OWNER: Caller = { kind: 'owner', name: 'data-dir', caps: OWNER_CAPS, human: true };

/**
 * Revokes every live owner key and creates a new one in one write transaction.
 * Safe beside a running server on the same data.db: tokens are checked against
 * the database on every request, so the old key stops working at once.
 */
export function resetOwnerKey(
  db: DB,
  surface: Surface,
  opts: { disableTotp?: boolean } = {},
): { token: string; id: string; revoked: string[]; totpDisabled: boolean } {
  const started = Date.now();
  const tokens = new TokenStore(db);
  const result = db
    .transaction(() => {
      const revoked = tokens
        .list()
        .filter((t) => t.kind === 'owner')
        .map((t) => t.id);
      for (const id of revoked) tokens.revoke(id);
      const created = tokens.create('owner', 'owner', OWNER_CAPS, null);
      const totpDisabled = opts.disableTotp === true && switchOffTotp(db);
      return { token: created.token, id: created.info.id, revoked, totpDisabled };
    })
    .immediate();
  new AuditLog(db).record({
    op: 'auth.owner-key.reset',
    caller: DATA_DIR_OWNER,
    surface,
    input: { revoked: result.revoked, created: result.id, totpDisabled: result.totpDisabled },
    outcome: 'ok',
    durationMs: Date.now() - started,
  });
  return result;
}
