/** Content types by extension: the small set a static site actually ships. */
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  cjs: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  bmp: 'image/bmp',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  eot: 'application/vnd.ms-fontobject',
  wasm: 'application/wasm',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  webm: 'video/webm',
  ics: 'text/calendar; charset=utf-8',
  yaml: 'text/yaml; charset=utf-8',
  yml: 'text/yaml; charset=utf-8',
};

const DEFAULT_TYPE = 'application/octet-stream';

export function mimeFor(path: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return DEFAULT_TYPE;
  return TYPES[path.slice(dot + 1).toLowerCase()] ?? DEFAULT_TYPE;
}

/** Types worth gzip/brotli: text and a few text-like binary formats. */
export function isCompressible(mime: string): boolean {
  return (
    mime.startsWith('text/') ||
    mime.startsWith('application/json') ||
    mime.startsWith('application/javascript') ||
    mime.startsWith('application/xml') ||
    mime.startsWith('application/manifest+json') ||
    mime.startsWith('application/rss+xml') ||
    mime.startsWith('application/atom+xml') ||
    mime === 'image/svg+xml' ||
    mime === 'image/x-icon' ||
    mime === 'image/bmp' ||
    mime === 'application/wasm' ||
    mime === 'font/ttf' ||
    mime === 'font/otf' ||
    mime === 'application/vnd.ms-fontobject'
  );
}

export function isHtml(mime: string): boolean {
  return mime.startsWith('text/html');
}

/**
 * Names that carry a content hash (`app.3f2a9c1b.js`, `index-BxK3a9Zq.css`) never
 * change content, so browsers may keep them for a year.
 */
export function isHashedAsset(path: string): boolean {
  const m = /[.-]([A-Za-z0-9_]{8,})\.[A-Za-z0-9]+$/.exec(path);
  if (!m) return false;
  const h = m[1];
  if (/^[0-9a-f]+$/.test(h)) return true;
  return /\d/.test(h) && /[A-Za-z]/.test(h) && h.length <= 32;
}
