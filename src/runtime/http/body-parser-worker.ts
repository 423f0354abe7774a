/** Worker thread: parses big request bodies so the main thread keeps serving while it does. */
import { parentPort } from 'node:worker_threads';
import { toOpError } from '../../kernel/ops/errors.js';
import type { BodyJob, BodyResult } from './body-parser.js';
import { parseBody } from './parse-body.js';

parentPort!.on('message', (job: BodyJob) => {
  let result: BodyResult;
  try {
    result = { id: job.id, json: JSON.stringify(parseBody(job.contentType, Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength), job.limits)) };
  } catch (err) {
    result = { id: job.id, error: toOpError(err).toJSON() };
  }
  parentPort!.postMessage(result);
});
