import type { Statement } from 'better-sqlite3';
import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import { normalizeDomain } from '../ssl/domain-name.js';
import { nowIso } from '../store/db.js';
import type { z } from 'zod';
import type { appDomainSchema, certStateSchema } from './schemas.js';

export type AppDomain = z.infer<typeof appDomainSchema>;
export type CertState = z.infer<typeof certStateSchema>;

interface Row { domain: string; app_id: string; slug: string; created_at: string }

/**
 * Custom domains: a host name that serves one app (static files, API, MCP) besides
 * <slug>.<domain>. The front door asks `slugFor` on every new Host header, so the
 * table is mirrored in a map, rebuilt whenever it changes.
 */
export class DomainsService {
  private map = new Map<string, string>();
  /** Bumped on every change so cached Host classifications are dropped. */
  generation = 0;
  private byAppStmt?: Statement;

  constructor(private readonly kernel: Kernel) {}

  /** Re-reads the table; returns the domains that vanished with it (an app deleted takes its domains along). */
  reload(): { domain: string; slug: string }[] {
    const rows = this.kernel.db.prepare('SELECT d.domain, a.slug FROM app_domains d JOIN apps a ON a.id = d.app_id').all() as { domain: string; slug: string }[];
    const before = this.map;
    this.map = new Map(rows.map((r) => [r.domain, r.slug]));
    this.generation++;
    return [...before].filter(([d]) => !this.map.has(d)).map(([domain, slug]) => ({ domain, slug }));
  }

  /** The slug of the app a (lower-case, port-less) host belongs to, if it is a custom domain. */
  slugFor(host: string): string | undefined {
    return this.map.get(host);
  }

  add(appRef: string, rawDomain: string): { domain: AppDomain; added: boolean } {
    const app = this.kernel.services.apps.get(appRef);
    if (app.system && app.slug !== 'root') throw new OpError('FORBIDDEN', `'${app.slug}' is a system app; custom domains go on your own apps or on root.`, { app: app.slug });
    const domain = normalizeDomain(rawDomain);
    const own = this.kernel.config.domain;
    if (domain === own || domain.endsWith(`.${own}`)) {
      throw new OpError('BAD_INPUT', `'${domain}' is under this server's own domain ${own}, where apps are already served as <slug>.${own}; a custom domain is a name outside it.`, {
        fields: [{ path: 'domain', message: 'under the server domain' }],
      });
    }
    const existing = this.row(domain);
    if (existing && existing.app_id !== app.id) {
      throw new OpError('CONFLICT', `'${domain}' already belongs to app '${existing.slug}'. Remove it there first (apps.domains.remove).`, { domain, app: existing.slug });
    }
    if (!existing) {
      this.kernel.db.prepare('INSERT INTO app_domains (domain, app_id, created_at) VALUES (?, ?, ?)').run(domain, app.id, nowIso());
      this.reload();
      this.kernel.events.emit({ type: 'system.app.domain.added', source: 'system', data: { id: app.id, slug: app.slug, domain } });
    }
    return { domain: this.describe(this.row(domain)!), added: !existing };
  }

  remove(rawDomain: string): AppDomain {
    const domain = normalizeDomain(rawDomain);
    const row = this.row(domain);
    if (!row) throw new OpError('NOT_FOUND', `'${domain}' is not a custom domain of any app. List them with apps.domains.list.`, { domain });
    const before = this.describe(row);
    this.kernel.db.prepare('DELETE FROM app_domains WHERE domain = ?').run(domain);
    this.reload();
    this.kernel.events.emit({ type: 'system.app.domain.removed', source: 'system', data: { id: row.app_id, slug: row.slug, domain } });
    return before;
  }

  list(appRef?: string): AppDomain[] {
    if (appRef !== undefined) {
      const app = this.kernel.services.apps.get(appRef);
      this.byAppStmt ??= this.kernel.db.prepare('SELECT d.*, a.slug FROM app_domains d JOIN apps a ON a.id = d.app_id WHERE d.app_id = ? ORDER BY d.domain');
      return (this.byAppStmt.all(app.id) as Row[]).map((r) => this.describe(r));
    }
    const rows = this.kernel.db.prepare('SELECT d.*, a.slug FROM app_domains d JOIN apps a ON a.id = d.app_id ORDER BY d.domain').all() as Row[];
    return rows.map((r) => this.describe(r));
  }

  find(rawDomain: string): AppDomain | undefined {
    const r = this.row(normalizeDomain(rawDomain));
    return r && this.describe(r);
  }

  private row(domain: string): Row | undefined {
    return this.kernel.db.prepare('SELECT d.*, a.slug FROM app_domains d JOIN apps a ON a.id = d.app_id WHERE d.domain = ?').get(domain) as Row | undefined;
  }

  private describe(r: Row): AppDomain {
    const certificate: CertState = this.kernel.services.ssl?.stateOf(r.domain) ?? { status: 'none' };
    return { domain: r.domain, app: r.slug, appId: r.app_id, createdAt: r.created_at, certificate };
  }
}
