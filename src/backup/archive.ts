import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, fstatSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { decryptor, ENC_HEADER_BYTES, encryptor, TAG_BYTES } from './crypto.js';
import type { BackupManifest } from './types.js';

/**
 * One self-contained file: [payload][manifest JSON][u32 manifest length]["FAZTBAK1"].
 * The payload is the gzipped database, AES-256-GCM encrypted when a passphrase is
 * given (Node 20's zlib has no zstd, so gzip it is). sha256 covers the payload.
 */
const TRAILER_MAGIC = Buffer.from('FAZTBAK1');
const GZIP_LEVEL = 3;

export class ArchiveError extends Error {
  constructor(
    readonly code: 'NOT_AN_ARCHIVE' | 'CHECKSUM_MISMATCH' | 'PASSPHRASE_REQUIRED' | 'WRONG_PASSPHRASE',
    message: string,
  ) {
    super(message);
  }
}

/** Counts and hashes what passes through, reporting progress by bytes read. */
function meter(onChunk: (chunk: Buffer) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onChunk(chunk);
      cb(null, chunk);
    },
  });
}

export async function writeArchive(
  dbFile: string,
  out: string,
  manifest: Omit<BackupManifest, 'sha256' | 'bytes' | 'encrypted' | 'compression'>,
  opts: { passphrase?: string; progress?: (done: number, total: number) => void } = {},
): Promise<BackupManifest> {
  const fd = openSync(out, 'w', 0o600);
  const total = statSync(dbFile).size;
  const hash = createHash('sha256');
  let bytes = 0;
  let read = 0;
  const sink = createWriteStream('', { fd, autoClose: false });
  const count = meter((c) => {
    hash.update(c);
    bytes += c.length;
  });
  const stages: (Readable | Transform)[] = [
    createReadStream(dbFile, { highWaterMark: 1 << 20 }),
    meter((c) => {
      read += c.length;
      opts.progress?.(read, total);
    }),
    createGzip({ level: GZIP_LEVEL }),
  ];
  let tagOf: (() => Buffer) | undefined;
  if (opts.passphrase) {
    const enc = await encryptor(opts.passphrase);
    hash.update(enc.header);
    bytes += enc.header.length;
    writeSync(fd, enc.header);
    stages.push(enc.cipher);
    tagOf = () => enc.cipher.getAuthTag();
  }
  try {
    await pipeline([...stages, count, sink] as unknown as Parameters<typeof pipeline>[0][]);
    if (tagOf) {
      const tag = tagOf();
      hash.update(tag);
      bytes += tag.length;
      writeSync(fd, tag);
    }
    const full: BackupManifest = { ...manifest, compression: 'gzip', encrypted: !!opts.passphrase, sha256: hash.digest('hex'), bytes } as BackupManifest;
    const json = Buffer.from(JSON.stringify(full));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(json.length);
    writeSync(fd, Buffer.concat([json, len, TRAILER_MAGIC]));
    return full;
  } finally {
    closeSync(fd);
  }
}

/** The manifest from an archive's trailer (a cheap read at the end of the file). */
export function readManifest(file: string): BackupManifest {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(12);
    if (size < 12 || readSync(fd, tail, 0, 12, size - 12) !== 12 || !tail.subarray(4).equals(TRAILER_MAGIC)) {
      throw new ArchiveError('NOT_AN_ARCHIVE', `${file} is not a fazt backup (no FAZTBAK1 trailer): a download cut short, or another kind of file.`);
    }
    const len = tail.readUInt32BE(0);
    if (len > size - 12 || len > 1 << 20) throw new ArchiveError('NOT_AN_ARCHIVE', `${file} has a damaged backup trailer.`);
    const json = Buffer.alloc(len);
    readSync(fd, json, 0, len, size - 12 - len);
    const m = JSON.parse(json.toString('utf8')) as BackupManifest;
    if (m.format !== 'fazt-backup/1') throw new ArchiveError('NOT_AN_ARCHIVE', `${file} is a backup format this fazt does not know (${String(m.format)}).`);
    if (m.bytes !== size - 12 - len) throw new ArchiveError('NOT_AN_ARCHIVE', `${file} is truncated or padded: the payload is ${size - 12 - len} bytes, the manifest says ${m.bytes}.`);
    return m;
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError('NOT_AN_ARCHIVE', `${file} has an unreadable backup manifest: ${(err as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/** Streams the payload through sha256 and compares with the manifest. */
export async function checkChecksum(file: string, m: BackupManifest): Promise<void> {
  const hash = createHash('sha256');
  if (m.bytes > 0) {
    await pipeline(createReadStream(file, { start: 0, end: m.bytes - 1 }), meter((c) => hash.update(c)), new Transform({ transform: (_c, _e, cb) => cb() }));
  }
  const got = hash.digest('hex');
  if (got !== m.sha256) throw new ArchiveError('CHECKSUM_MISMATCH', `Backup ${m.id} is damaged: its sha256 is ${got}, the manifest says ${m.sha256}.`);
}

function readAt(file: string, start: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(length);
    readSync(fd, b, 0, length, start);
    return b;
  } finally {
    closeSync(fd);
  }
}

/** Verifies the checksum, then writes the database out of the archive (decrypting when needed). */
export async function extractDatabase(
  file: string,
  dest: string,
  opts: { passphrase?: string; progress?: (done: number, total: number) => void } = {},
): Promise<BackupManifest> {
  const m = readManifest(file);
  await checkChecksum(file, m);
  const stages: (Readable | Transform)[] = [];
  if (m.encrypted) {
    if (!opts.passphrase) throw new ArchiveError('PASSPHRASE_REQUIRED', `Backup ${m.id} is encrypted: give its passphrase (--passphrase or FAZT_BACKUP_PASSPHRASE).`);
    const header = readAt(file, 0, ENC_HEADER_BYTES);
    const tag = readAt(file, m.bytes - TAG_BYTES, TAG_BYTES);
    stages.push(createReadStream(file, { start: ENC_HEADER_BYTES, end: m.bytes - TAG_BYTES - 1 }), await decryptor(opts.passphrase, header, tag));
  } else {
    stages.push(createReadStream(file, { start: 0, end: m.bytes - 1 }));
  }
  let done = 0;
  stages.push(
    createGunzip(),
    meter((c) => {
      done += c.length;
      opts.progress?.(done, m.dbBytes);
    }),
  );
  try {
    await pipeline([...stages, createWriteStream(dest, { mode: 0o600 })] as unknown as Parameters<typeof pipeline>[0][]);
  } catch (err) {
    // The checksum matched, so the bytes are as written: failing to open them means the passphrase is wrong.
    if (m.encrypted) {
      throw new ArchiveError('WRONG_PASSPHRASE', `Backup ${m.id} could not be decrypted: wrong passphrase.`);
    }
    throw err;
  }
  return m;
}
