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

/** Parses multipart/form-data: plain fields into `fields`, file parts into `files`. */
export function parseMultipart(body: Buffer, contentType: string): { fields: Record<string, string | string[]>; files: UploadedFile[] } {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!m) throw new Error('multipart/form-data without a boundary');
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const fields: Record<string, string | string[]> = {};
  const files: UploadedFile[] = [];
  let pos = body.indexOf(delimiter);
  if (pos === -1) throw new Error('multipart body without its boundary');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd === -1) throw new Error('truncated multipart part');
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next === -1) throw new Error('truncated multipart body');
    const data = body.subarray(headerEnd + 4, next);
    pos = next + 2;
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
      fields[name] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  return { fields, files };
}
