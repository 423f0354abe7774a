import type { DB } from '../../store/db.js';
import type { JsonSchema } from './schema.js';

export interface ToolRecord {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  readOnly: boolean;
  /** Declared with `destructive: true`: loses data. Absent for ordinary writes. */
  destructive?: boolean;
}

export interface ResourceRecord {
  uriTemplate: string;
  description: string;
  mimeType?: string;
}

/** One `fazt.events.on(pattern)` call; `index` is its order in api/main.js. */
export interface SubscriptionRecord {
  pattern: string;
  index: number;
}

export interface VersionRegistrations {
  tools: ToolRecord[];
  resources: ResourceRecord[];
  events: SubscriptionRecord[];
}

/** Registrations are stored with the version that declared them, so a rollback brings its tools back. */
export class RegistrationStore {
  constructor(private readonly db: DB) {}

  save(appId: string, version: number, regs: VersionRegistrations): void {
    const put = this.db.prepare('INSERT OR REPLACE INTO app_registrations (app_id, version, kind, name, position, spec) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM app_registrations WHERE app_id = ? AND version = ?').run(appId, version);
      regs.tools.forEach((t, i) => put.run(appId, version, 'tool', t.name, i, JSON.stringify(t)));
      regs.resources.forEach((r, i) => put.run(appId, version, 'resource', r.uriTemplate, i, JSON.stringify(r)));
      regs.events.forEach((e) => put.run(appId, version, 'event', `${e.index}:${e.pattern}`, e.index, JSON.stringify(e)));
    })();
  }

  load(appId: string, version: number | null): VersionRegistrations {
    const out: VersionRegistrations = { tools: [], resources: [], events: [] };
    if (version === null) return out;
    const rows = this.db
      .prepare('SELECT kind, spec FROM app_registrations WHERE app_id = ? AND version = ? ORDER BY kind, position')
      .all(appId, version) as { kind: string; spec: string }[];
    for (const r of rows) {
      const spec = JSON.parse(r.spec);
      if (r.kind === 'tool') out.tools.push(spec);
      else if (r.kind === 'resource') out.resources.push(spec);
      else if (r.kind === 'event') out.events.push(spec);
    }
    return out;
  }

  deleteApp(appId: string): void {
    this.db.prepare('DELETE FROM app_registrations WHERE app_id = ?').run(appId);
  }
}
