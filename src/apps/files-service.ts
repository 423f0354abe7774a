import type { Kernel } from '../kernel/kernel.js';
import { parseManifest, type Manifest } from './manifest.js';

export interface AppFile {
  path: string;
  sha256: string;
  size: number;
  mime: string;
}

export interface AppFileData extends AppFile {
  data: Buffer;
}

/**
 * Read access to the files of an app version (the active one unless a version
 * is named). The runtime reads api/main.js here; MCP serves file resources.
 */
export class FilesService {
  constructor(private readonly kernel: Kernel) {}

  private activeVersion(appId: string): number | null {
    const r = this.kernel.db.prepare('SELECT active_version AS v FROM apps WHERE id = ?').get(appId) as { v: number | null } | undefined;
    return r?.v ?? null;
  }

  private resolve(appId: string, version?: number): number | null {
    return version ?? this.activeVersion(appId);
  }

  read(appId: string, path: string, version?: number): AppFileData | null {
    const v = this.resolve(appId, version);
    if (v === null) return null;
    const r = this.kernel.db
      .prepare(
        `SELECT vf.path, vf.sha256, vf.size, vf.mime, b.data FROM version_files vf JOIN blobs b ON b.sha256 = vf.sha256
         WHERE vf.app_id = ? AND vf.version = ? AND vf.path = ?`,
      )
      .get(appId, v, path.replace(/^\/+/, '')) as AppFileData | undefined;
    return r ?? null;
  }

  list(appId: string, version?: number): AppFile[] {
    const v = this.resolve(appId, version);
    if (v === null) return [];
    return this.kernel.db
      .prepare('SELECT path, sha256, size, mime FROM version_files WHERE app_id = ? AND version = ? ORDER BY path')
      .all(appId, v) as AppFile[];
  }

  /** Parsed manifest.json of a version as stored at deploy time; {} when there is none. */
  manifest(appId: string, version?: number): Manifest {
    const v = this.resolve(appId, version);
    if (v === null) return {};
    const r = this.kernel.db.prepare('SELECT manifest FROM app_versions WHERE app_id = ? AND version = ?').get(appId, v) as
      | { manifest: string | null }
      | undefined;
    return r?.manifest ? parseManifest(Buffer.from(r.manifest)) : {};
  }

  activeManifest(appId: string): Manifest {
    return this.manifest(appId);
  }

  /** Raw content by hash (shared by every version and app that has it). */
  blob(sha256: string): Buffer | null {
    const r = this.kernel.db.prepare('SELECT data FROM blobs WHERE sha256 = ?').get(sha256) as { data: Buffer } | undefined;
    return r?.data ?? null;
  }
}

declare module '../kernel/services.js' {
  interface Services {
    files: FilesService;
  }
}
