import { createRequire } from 'node:module';
import { tempDir } from './temp.js';

/** The s3rver package: a loopback S3 that stores objects on disk (it checks access key ids, not SigV4 signatures). */
export interface LoopbackS3 {
  endpoint: string;
  bucket: string;
  /** Every request it received: method and path with query, in order. */
  requests: { method: string; url: string }[];
  close(): Promise<void>;
}

export async function startS3(bucket = 'fazt-backups'): Promise<LoopbackS3> {
  const require = createRequire(import.meta.url);
  const S3rver = require('s3rver');
  const dir = tempDir('fazt-s3-');
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir.dir, configureBuckets: [{ name: bucket }] });
  const requests: { method: string; url: string }[] = [];
  // First in Koa's chain, so every request is seen whatever route answers it.
  server.middleware.unshift(async (ctx: { method: string; url: string }, next: () => Promise<void>) => {
    requests.push({ method: ctx.method, url: ctx.url });
    await next();
  });
  const info = await server.run();
  return {
    endpoint: `http://127.0.0.1:${info.port}`,
    bucket,
    requests,
    async close() {
      await server.close();
      dir.cleanup();
    },
  };
}

/** S3RVER/S3RVER is the key pair s3rver accepts. */
export const S3_KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
