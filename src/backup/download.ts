import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';

/** Streams an http(s) URL to a file (0600), never holding it in memory. */
export async function downloadTo(url: string, dest: string, progress?: (done: number, total: number) => void): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(`Could not download ${url}: ${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message}`);
  }
  if (!res.ok || !res.body) throw new Error(`Could not download ${url}: HTTP ${res.status}`);
  const total = Number(res.headers.get('content-length') ?? 0);
  let done = 0;
  const body = Readable.fromWeb(res.body as ReadableStream<Uint8Array>);
  body.on('data', (c: Buffer) => progress?.((done += c.length), total));
  await pipeline(body, createWriteStream(dest, { mode: 0o600 }));
}
