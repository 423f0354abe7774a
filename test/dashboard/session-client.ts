import { request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One HTTP request with any Host, headers and body (fetch() would not let us set Host or Origin). */
export function send(base: string, path: string, opts: { method?: string; host?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const u = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: u.hostname, port: u.port, path: u.pathname + u.search, method: opts.method ?? 'GET', headers: { ...(opts.host ? { host: opts.host } : {}), ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export function cookieValue(reply: Reply, name: string): string | undefined {
  const raw = reply.headers['set-cookie'] ?? [];
  for (const c of Array.isArray(raw) ? raw : [raw]) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m) return m[1];
  }
  return undefined;
}

export function setCookieLine(reply: Reply, name: string): string | undefined {
  const raw = reply.headers['set-cookie'] ?? [];
  return (Array.isArray(raw) ? raw : [raw]).find((c) => c.startsWith(`${name}=`));
}

/** A signed-in browser, as far as HTTP goes: its cookies and CSRF token. */
export interface Session {
  cookie: string;
  csrf: string;
  host: string;
}

/** Loads the sign-in form (for its nonce cookie) and posts it; returns the POST's reply and, on success, the session. */
export async function signIn(base: string, fields: Record<string, string>, host = 'admin.localhost'): Promise<{ reply: Reply; session?: Session }> {
  const form = await send(base, '/login', { host });
  const nonceCookie = cookieValue(form, 'fazt_login')!;
  const nonce = /name="nonce" value="([^"]+)"/.exec(form.text)![1];
  const body = new URLSearchParams({ nonce, ...fields }).toString();
  const reply = await send(base, '/login', {
    method: 'POST',
    host,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `fazt_login=${nonceCookie}`, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' },
    body,
  });
  const secret = cookieValue(reply, 'fazt_session');
  const csrf = cookieValue(reply, 'fazt_csrf');
  return { reply, session: secret && csrf ? { cookie: `fazt_session=${secret}; fazt_csrf=${csrf}`, csrf, host } : undefined };
}

/** An op call as the dashboard makes it: the session cookie, same-origin, and (unless told otherwise) the CSRF header. */
export function sessionOp(base: string, s: Session, name: string, input: unknown = {}, opts: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<Reply> {
  const csrf = opts.csrf === undefined ? s.csrf : opts.csrf;
  return send(base, `/api/ops/${name}`, {
    method: 'POST',
    host: s.host,
    headers: {
      'content-type': 'application/json',
      cookie: s.cookie,
      origin: `http://${s.host}`,
      'sec-fetch-site': 'same-origin',
      ...(csrf ? { 'x-fazt-csrf': csrf } : {}),
      ...opts.headers,
    },
    body: JSON.stringify(input),
  });
}
