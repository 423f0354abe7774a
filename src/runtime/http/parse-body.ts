import { OpError } from '../../kernel/ops/errors.js';
import type { BodyLimits } from '../../surfaces/http/body-limits.js';
import { parseJsonBody } from '../../surfaces/http/json-body.js';
import { paramsToObject } from '../../surfaces/http/params.js';
import { parseMultipart, type UploadedFile } from './multipart.js';

export interface ParsedBody {
  body: unknown;
  files: UploadedFile[];
}

/** A request body as an app sees it: JSON and forms parsed, multipart files split out, anything else as text. */
export function parseBody(contentType: string, raw: Buffer, limits: BodyLimits): ParsedBody {
  if (!raw.length) return { body: null, files: [] };
  const type = contentType.toLowerCase();
  if (type.includes('json')) return { body: parseJsonBody(raw, limits.maxJsonDepth), files: [] };
  if (type.startsWith('application/x-www-form-urlencoded')) return { body: paramsToObject(raw.toString('utf8'), limits.maxFormFields, 'form body'), files: [] };
  if (type.startsWith('multipart/form-data')) {
    try {
      const parsed = parseMultipart(raw, contentType, limits.maxFormFields);
      return { body: parsed.fields, files: parsed.files };
    } catch (err) {
      throw new OpError('BAD_INPUT', `The multipart body could not be read: ${(err as Error).message}`);
    }
  }
  return { body: raw.toString('utf8'), files: [] };
}
