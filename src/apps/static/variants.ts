import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Kernel } from '../../kernel/kernel.js';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

export type Encoding = 'br' | 'gzip';

/**
 * Compressed forms of a blob, computed once (off the request path after the
 * first ask) and kept in the database, so neither requests nor restarts redo them.
 * `null` records that compression did not make the file smaller.
 */
export class Variants {
  private readonly inflight = new Map<string, Promise<Buffer | null>>();

  constructor(private readonly kernel: Kernel) {}

  get(sha256: string, enc: Encoding, data: Buffer): Promise<Buffer | null> {
    const key = `${sha256}:${enc}`;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.load(sha256, enc, data).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private async load(sha256: string, enc: Encoding, data: Buffer): Promise<Buffer | null> {
    const db = this.kernel.db;
    const row = db.prepare('SELECT data FROM blob_variants WHERE sha256 = ? AND encoding = ?').get(sha256, enc) as { data: Buffer | null } | undefined;
    if (row) return row.data;
    const out = await compress(enc, data);
    const useful = out.length < data.length * 0.95 ? out : null;
    try {
      db.prepare('INSERT OR IGNORE INTO blob_variants (sha256, encoding, data) VALUES (?, ?, ?)').run(sha256, enc, useful);
    } catch {
      /* the blob was deleted meanwhile (app removed): nothing to keep */
    }
    return useful;
  }
}

export function compress(enc: Encoding, data: Buffer): Promise<Buffer> {
  if (enc === 'gzip') return gz(data, { level: 9 });
  return brotli(data, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      // 11 is slow on big files; they are compressed once, but the first visitor waits.
      [constants.BROTLI_PARAM_QUALITY]: data.length > 1024 * 1024 ? 9 : 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
}
