import { AwsClient } from 'aws4fetch';
import { closeSync, createWriteStream, openSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TargetError, type BackupTarget, type PendingUpload, type PutOptions, type TargetObject } from './target.js';

export interface S3Settings {
  endpoint: string;
  bucket: string;
  region: string;
  /** Key prefix inside the bucket, e.g. "fazt/" (may be empty). */
  prefix: string;
}

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Parts of 8 MiB: a part is read into memory alone, and a crash costs at most one part's work. */
export const PART_BYTES = 8 * 1024 * 1024;

function xmlValues(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => unescapeXml(m[1]));
}

function unescapeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const AUTH_CODES = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'InvalidToken', 'ExpiredToken']);

/**
 * Any S3-compatible bucket (AWS, R2, B2, MinIO, Hetzner), signed with SigV4 by aws4fetch.
 * Path-style URLs (endpoint/bucket/key) work with every one of them, including local servers.
 * Large files go up in parts: nothing is visible until the upload completes, so a crash
 * mid-upload leaves no partial object, and the next run starts a fresh upload.
 */
export class S3Target implements BackupTarget {
  readonly kind = 's3' as const;
  private readonly client: AwsClient;

  constructor(
    private readonly s: S3Settings,
    creds: S3Credentials,
  ) {
    this.client = new AwsClient({ accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, service: 's3', region: s.region, retries: 2 });
  }

  get where(): string {
    return `${this.s.endpoint.replace(/\/$/, '')}/${this.s.bucket}/${this.s.prefix}`;
  }

  private bucketUrl(): string {
    return `${this.s.endpoint.replace(/\/$/, '')}/${encodeURIComponent(this.s.bucket)}`;
  }

  private keyUrl(name: string): string {
    const key = (this.s.prefix + name).split('/').map(encodeURIComponent).join('/');
    return `${this.bucketUrl()}/${key}`;
  }

  locationOf(name: string): string {
    return this.keyUrl(name);
  }

  private async send(url: string, init: RequestInit, what: string, okStatuses: number[] = []): Promise<Response> {
    let res: Response;
    try {
      res = await this.client.fetch(url, init);
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new TargetError('TARGET_UNREACHABLE', `S3 endpoint ${this.s.endpoint} is unreachable (${cause}) while trying to ${what}.`);
    }
    if (res.ok || okStatuses.includes(res.status)) return res;
    const text = await res.text().catch(() => '');
    const code = xmlValues(text, 'Code')[0] ?? `HTTP ${res.status}`;
    const message = xmlValues(text, 'Message')[0] ?? res.statusText;
    if (AUTH_CODES.has(code) || res.status === 401 || res.status === 403) {
      throw new TargetError('TARGET_AUTH', `S3 refused the credentials for bucket '${this.s.bucket}' (${code}: ${message}). Set the right access key and secret with backup.configure.`);
    }
    if (code === 'NoSuchBucket') throw new TargetError('TARGET_NOT_FOUND', `S3 bucket '${this.s.bucket}' does not exist at ${this.s.endpoint}.`);
    if (code === 'NoSuchKey' || res.status === 404) throw new TargetError('TARGET_NOT_FOUND', `No object ${this.s.prefix}... at ${url} (${code}).`);
    throw new TargetError('TARGET_ERROR', `S3 could not ${what}: ${code}: ${message} (HTTP ${res.status}).`);
  }

  async putBytes(name: string, body: Buffer): Promise<void> {
    await this.send(this.keyUrl(name), { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' } }, `upload ${name}`);
  }

  async putFile(name: string, file: string, opts: PutOptions = {}): Promise<void> {
    const size = statSync(file).size;
    if (size <= PART_BYTES) {
      await this.putBytes(name, readRange(file, 0, size));
      opts.progress?.(size, size);
      return;
    }
    const url = this.keyUrl(name);
    const init = await this.send(`${url}?uploads`, { method: 'POST' }, `start uploading ${name}`);
    const uploadId = xmlValues(await init.text(), 'UploadId')[0];
    if (!uploadId) throw new TargetError('TARGET_ERROR', `S3 did not return an UploadId for ${name}.`);
    opts.onUploadStarted?.({ name, uploadId });
    const etags: string[] = [];
    try {
      for (let part = 1, offset = 0; offset < size; part++, offset += PART_BYTES) {
        const body = readRange(file, offset, Math.min(PART_BYTES, size - offset));
        const res = await this.send(`${url}?partNumber=${part}&uploadId=${encodeURIComponent(uploadId)}`, { method: 'PUT', body }, `upload part ${part} of ${name}`);
        etags.push(res.headers.get('etag') ?? '');
        opts.progress?.(offset + body.length, size);
      }
      const xml =
        '<CompleteMultipartUpload>' +
        etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(e)}</ETag></Part>`).join('') +
        '</CompleteMultipartUpload>';
      const done = await this.send(`${url}?uploadId=${encodeURIComponent(uploadId)}`, { method: 'POST', body: xml, headers: { 'content-type': 'application/xml' } }, `complete ${name}`);
      // S3 may answer 200 with an <Error> body when completion fails late.
      const text = await done.text();
      if (/<Error>/.test(text)) throw new TargetError('TARGET_ERROR', `S3 could not complete ${name}: ${xmlValues(text, 'Message')[0] ?? text.slice(0, 200)}`);
    } catch (err) {
      await this.abortUpload({ name, uploadId }).catch(() => {});
      throw err;
    }
  }

  async getFile(name: string, dest: string, progress?: (done: number, total: number) => void): Promise<void> {
    const res = await this.send(this.keyUrl(name), { method: 'GET' }, `download ${name}`);
    const total = Number(res.headers.get('content-length') ?? 0);
    let done = 0;
    const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (c: Buffer) => progress?.((done += c.length), total));
    await pipeline(body, createWriteStream(dest, { mode: 0o600 }));
  }

  async getBytes(name: string): Promise<Buffer | undefined> {
    const res = await this.send(this.keyUrl(name), { method: 'GET' }, `download ${name}`, [404]);
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    return Buffer.from(await res.arrayBuffer());
  }

  async list(): Promise<TargetObject[]> {
    const out: TargetObject[] = [];
    let token: string | undefined;
    do {
      const q = new URLSearchParams({ 'list-type': '2', prefix: this.s.prefix });
      if (token) q.set('continuation-token', token);
      const xml = await (await this.send(`${this.bucketUrl()}?${q}`, { method: 'GET' }, 'list backups')).text();
      for (const c of xml.match(/<Contents>[\s\S]*?<\/Contents>/g) ?? []) {
        const key = xmlValues(c, 'Key')[0];
        if (!key?.startsWith(this.s.prefix)) continue;
        const name = key.slice(this.s.prefix.length);
        if (name.includes('/')) continue;
        out.push({ name, size: Number(xmlValues(c, 'Size')[0] ?? 0) });
      }
      token = xmlValues(xml, 'IsTruncated')[0] === 'true' ? xmlValues(xml, 'NextContinuationToken')[0] : undefined;
    } while (token);
    return out;
  }

  async delete(name: string): Promise<void> {
    await this.send(this.keyUrl(name), { method: 'DELETE' }, `delete ${name}`, [404]);
  }

  async abortUpload(u: PendingUpload): Promise<void> {
    // Some S3-compatible servers cannot abort (405/501): their parts are never listed as objects anyway.
    const res = await this.send(`${this.keyUrl(u.name)}?uploadId=${encodeURIComponent(u.uploadId)}`, { method: 'DELETE' }, `abort the upload of ${u.name}`, [404, 405, 501]);
    await res.body?.cancel();
  }
}

function readRange(file: string, start: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, b, got, length - got, start + got);
      if (n === 0) break;
      got += n;
    }
    return b.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
