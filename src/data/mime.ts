/** Blob content types: the same extension table static hosting uses, plus a syntax check for given types. */
export { mimeFor } from '../apps/mime.js';

const MIME_RE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\s*;\s*[A-Za-z0-9_.+-]+=[A-Za-z0-9_.+"-]+)*$/;

export function isValidMime(mime: string): boolean {
  return mime.length <= 255 && MIME_RE.test(mime);
}
