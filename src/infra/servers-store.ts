import type { DB } from '../store/db.js';

/** What fazt remembers about a server it made: price, SSH host key, peer (its fazt) and, for local ones, where it lives. */
export interface ServerRecord {
  id: string;
  provider: string;
  providerId: string;
  name: string;
  type: string;
  region: string;
  monthly: number | null;
  currency: string | null;
  createdAt: string;
  hostKey: string | null;
  peerUrl: string | null;
  peerPort: number | null;
  localDir: string | null;
  localPort: number | null;
  /** A local server's own loopback address (127.0.0.N), like a machine's IP. */
  localAddress: string | null;
  regTokenId: string | null;
}

interface Row {
  id: string; provider: string; provider_id: string; name: string; type: string; region: string; monthly: number | null; currency: string | null;
  created_at: string; host_key: string | null; peer_url: string | null; peer_port: number | null; local_dir: string | null; local_port: number | null; reg_token_id: string | null; local_address: string | null;
}

const fromRow = (r: Row): ServerRecord => ({
  id: r.id, provider: r.provider, providerId: r.provider_id, name: r.name, type: r.type, region: r.region, monthly: r.monthly, currency: r.currency,
  createdAt: r.created_at, hostKey: r.host_key, peerUrl: r.peer_url, peerPort: r.peer_port, localDir: r.local_dir, localPort: r.local_port, localAddress: r.local_address, regTokenId: r.reg_token_id,
});

export const serverId = (provider: string, providerId: string) => `${provider}:${providerId}`;

export class ServersStore {
  constructor(private readonly db: DB) {}

  add(r: Omit<ServerRecord, 'id' | 'createdAt' | 'hostKey' | 'peerUrl' | 'peerPort' | 'localDir' | 'localPort' | 'localAddress' | 'regTokenId'> & Partial<ServerRecord>): ServerRecord {
    const id = serverId(r.provider, r.providerId);
    this.db
      .prepare(`INSERT OR REPLACE INTO infra_servers (id, provider, provider_id, name, type, region, monthly, currency, created_at, host_key, peer_url, peer_port, local_dir, local_port, reg_token_id, local_address)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, r.provider, r.providerId, r.name, r.type, r.region, r.monthly, r.currency, r.createdAt ?? new Date().toISOString(), r.hostKey ?? null, r.peerUrl ?? null, r.peerPort ?? null, r.localDir ?? null, r.localPort ?? null, r.regTokenId ?? null, r.localAddress ?? null);
    return this.get(id)!;
  }

  get(id: string): ServerRecord | undefined {
    const r = this.db.prepare('SELECT * FROM infra_servers WHERE id = ?').get(id) as Row | undefined;
    return r && fromRow(r);
  }

  byName(provider: string, name: string): ServerRecord | undefined {
    const r = this.db.prepare('SELECT * FROM infra_servers WHERE provider = ? AND name = ?').get(provider, name) as Row | undefined;
    return r && fromRow(r);
  }

  list(provider?: string): ServerRecord[] {
    const rows = (provider ? this.db.prepare('SELECT * FROM infra_servers WHERE provider = ? ORDER BY created_at').all(provider) : this.db.prepare('SELECT * FROM infra_servers ORDER BY created_at').all()) as Row[];
    return rows.map(fromRow);
  }

  update(id: string, change: Partial<Pick<ServerRecord, 'hostKey' | 'peerUrl' | 'peerPort' | 'localPort' | 'regTokenId'>>): void {
    const cols: Record<string, string> = { hostKey: 'host_key', peerUrl: 'peer_url', peerPort: 'peer_port', localPort: 'local_port', regTokenId: 'reg_token_id' };
    for (const [k, v] of Object.entries(change)) this.db.prepare(`UPDATE infra_servers SET ${cols[k]} = ? WHERE id = ?`).run(v ?? null, id);
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM infra_servers WHERE id = ?').run(id).changes > 0;
  }
}
