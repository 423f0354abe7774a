export interface UploadedFile {
  field: string;
  filename: string;
  mime: string;
  size: number;
  /** Text files as a string, anything else base64. */
  data: string;
  encoding: 'utf8' | 'base64';
}

const TEXT = /^(text\/|application\/(json|javascript|xml)|image\/svg)/;
/** RFC 2046: a boundary is 1 to 70 characters. A longer one only makes each search slower. */
const MAX_BOUNDARY = 70;
/** A part's headers (Content-Disposition, Content-Type) fit easily; more is not a form. */
export const MAX_PART_HEADER_BYTES = 8192;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Parses multipart/form-data: plain fields into `fields`, file parts into `files`.
 * One forward pass over the body; at most `maxParts` parts, each with bounded headers.
 */
export function parseMultipart(body: Buffer, contentType: string, maxParts: number): { fields: Record<string, string | string[]>; files: UploadedFile[] } {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!m) throw new Error('multipart/form-data without a boundary');
  const boundary = m[1] ?? m[2];
  if (boundary.length > MAX_BOUNDARY) throw new Error(`the boundary is longer than ${MAX_BOUNDARY} characters`);
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.concat([CRLF, delimiter]);
  const fields: Record<string, string | string[]> = Object.create(null);
  const files: UploadedFile[] = [];
  let parts = 0;
  let pos = body.indexOf(delimiter);
  if (pos === -1) throw new Error('multipart body without its boundary');
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    if (++parts > maxParts) throw new Error(`the body has more than ${maxParts} parts (the limit; set with --set http.maxFormFields)`);
    // Only look for the end of the headers where it may be, not through the whole body.
    const headerEnd = body.subarray(0, Math.min(body.length, pos + MAX_PART_HEADER_BYTES + HEADER_END.length)).indexOf(HEADER_END, pos);
    if (headerEnd === -1) {
      throw new Error(body.length - pos > MAX_PART_HEADER_BYTES ? `a part has headers longer than ${MAX_PART_HEADER_BYTES} bytes` : 'truncated multipart part');
    }
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const next = body.indexOf(nextDelimiter, headerEnd + HEADER_END.length);
    if (next === -1) throw new Error('truncated multipart body');
    const data = body.subarray(headerEnd + HEADER_END.length, next);
    pos = next + CRLF.length;
    const disp = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disp)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/i.exec(disp)?.[1];
    const mime = /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
    if (filename !== undefined) {
      const text = TEXT.test(mime);
      files.push({ field: name, filename, mime, size: data.length, data: data.toString(text ? 'utf8' : 'base64'), encoding: text ? 'utf8' : 'base64' });
    } else {
      const v = data.toString('utf8');
      const prev = fields[name];
      if (prev === undefined) fields[name] = v;
      else if (Array.isArray(prev)) prev.push(v);
      else fields[name] = [prev, v];
    }
  }
  return { fields, files };
}
