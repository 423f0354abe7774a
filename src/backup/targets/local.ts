import { chmodSync, copyFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BackupTarget, PutOptions, TargetObject } from './target.js';

/** A directory on this machine (default <data>/backups): files 0600, written under a temporary name then renamed. */
export class LocalTarget implements BackupTarget {
  readonly kind = 'local' as const;

  constructor(readonly dir: string) {}

  get where(): string {
    return this.dir;
  }

  private ensure(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  locationOf(name: string): string {
    return join(this.dir, name);
  }

  async putFile(name: string, file: string, opts: PutOptions = {}): Promise<void> {
    this.ensure();
    const dest = this.locationOf(name);
    const partial = dest + '.partial';
    const size = statSync(file).size;
    try {
      renameSync(file, partial);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      copyFileSync(file, partial);
      rmSync(file, { force: true });
    }
    chmodSync(partial, 0o600);
    renameSync(partial, dest);
    opts.progress?.(size, size);
  }

  async putBytes(name: string, body: Buffer): Promise<void> {
    this.ensure();
    const dest = this.locationOf(name);
    writeFileSync(dest + '.partial', body, { mode: 0o600 });
    renameSync(dest + '.partial', dest);
  }

  async getFile(name: string, dest: string): Promise<void> {
    await pipeline(createReadStream(this.locationOf(name)), createWriteStream(dest, { mode: 0o600 }));
  }

  async getBytes(name: string): Promise<Buffer | undefined> {
    const p = this.locationOf(name);
    return existsSync(p) ? readFileSync(p) : undefined;
  }

  async list(): Promise<TargetObject[]> {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((d) => d.isFile() && !d.name.endsWith('.partial'))
      .map((d) => ({ name: d.name, size: statSync(join(this.dir, d.name)).size }));
  }

  async delete(name: string): Promise<void> {
    rmSync(this.locationOf(name), { force: true });
  }

  async abortUpload(): Promise<void> {}
}
