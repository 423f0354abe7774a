import type { RouteInfo } from '../../kernel/kernel.js';

// Characters a WHATWG URL parser keeps unchanged in a path: RFC 3986 unreserved,
// sub-delims, ':', '@' and '/'. Anything else ('%', '\', '#', spaces, non-ASCII...)
// goes through the full parser.
const PLAIN = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/") PLAIN[c.charCodeAt(0)] = 1;

const SLASH = 47;
const DOT = 46;
const QUESTION = 63;

/**
 * The pathname `new URL(target, base)` would give, when the request target is a
 * plain origin-form path the parser would not change: starts with one '/', only
 * PLAIN characters, no '.' or '..' segment. Undefined for anything else.
 */
export function plainPathname(target: string): string | undefined {
  const n = target.length;
  if (n === 0 || target.charCodeAt(0) !== SLASH || (n > 1 && target.charCodeAt(1) === SLASH)) return undefined;
  let segStart = 1;
  for (let i = 1; i <= n; i++) {
    const c = i < n ? target.charCodeAt(i) : QUESTION;
    if (c === SLASH || c === QUESTION) {
      const len = i - segStart;
      if ((len === 1 || len === 2) && target.charCodeAt(segStart) === DOT && (len === 1 || target.charCodeAt(segStart + 1) === DOT)) return undefined;
      if (c === QUESTION) return i === n ? target : target.slice(0, i);
      segStart = i + 1;
    } else if (c >= 128 || PLAIN[c] === 0) return undefined;
  }
  return undefined;
}

/**
 * What the front door knows about a request. The full URL is parsed only when a
 * handler asks for it, and the request id is spelled out only when it is used:
 * a static hit needs neither.
 */
export class Route implements RouteInfo {
  private parsed: URL | undefined;
  private id: string | undefined;

  constructor(
    private readonly target: string,
    readonly path: string,
    readonly hostKind: RouteInfo['hostKind'],
    readonly slug: string,
    private readonly idPrefix: string,
    private readonly seq: number,
    url?: URL,
  ) {
    this.parsed = url;
  }

  get url(): URL {
    return (this.parsed ??= new URL(this.target, 'http://x'));
  }

  get requestId(): string {
    return (this.id ??= `${this.idPrefix}-${this.seq.toString(36)}`);
  }
}
