import type { OAuthClientProvider } from '@modelcontextprotocol/client';

type Stored = Record<string, any>;

/**
 * An in-memory OAuthClientProvider, as an MCP host keeps one per server: it
 * records where the SDK wants the browser sent instead of opening a browser.
 */
export class TestProvider implements OAuthClientProvider {
  info?: Stored;
  saved?: Stored;
  verifier = '';
  discovery?: Stored;
  authUrl?: URL;
  clientMetadataUrl?: string;

  constructor(readonly redirect = 'http://127.0.0.1:39123/callback', readonly name = 'Test Assistant', opts: { clientMetadataUrl?: string } = {}) {
    this.clientMetadataUrl = opts.clientMetadataUrl;
  }

  get redirectUrl(): string {
    return this.redirect;
  }

  get clientMetadata() {
    return { client_name: this.name, redirect_uris: [this.redirect], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] } as never;
  }

  state(): string {
    return 'state-123';
  }

  clientInformation() {
    return this.info as never;
  }

  saveClientInformation(info: Stored): void {
    this.info = info;
  }

  tokens() {
    return this.saved as never;
  }

  saveTokens(tokens: Stored): void {
    this.saved = tokens;
  }

  redirectToAuthorization(url: URL): void {
    this.authUrl = url;
  }

  saveCodeVerifier(v: string): void {
    this.verifier = v;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  saveDiscoveryState(state: Stored): void {
    this.discovery = state;
  }

  discoveryState() {
    return this.discovery as never;
  }

  invalidateCredentials(scope: string): void {
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
    if (scope === 'all' || scope === 'client') this.info = undefined;
  }
}

/** The hidden and pre-ticked fields of the consent page, as a browser would submit them. */
export function formOf(html: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(m[1], unescape(m[2]));
  for (const m of html.matchAll(/<input type="checkbox" name="cap" value="([^"]+)" checked>/g)) form.append('cap', unescape(m[1]));
  return form;
}

function unescape(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export interface ConsentOptions {
  ownerKey?: string;
  /** Replace the pre-ticked capabilities. */
  caps?: string[];
  decision?: 'allow' | 'deny';
  headers?: Record<string, string>;
  /** Other fields to submit (the authenticator code). */
  fields?: Record<string, string>;
}

/** Opens the consent page and submits it: the owner's part of the flow, by form posts. */
export async function consent(authUrl: URL | string, opts: ConsentOptions = {}): Promise<{ status: number; location: string | null; html: string }> {
  const page = await fetch(authUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) return { status: page.status, location: page.headers.get('location'), html };
  const form = formOf(html);
  if (opts.caps) {
    form.delete('cap');
    for (const c of opts.caps) form.append('cap', c);
  }
  if (opts.ownerKey !== undefined) form.set('owner_key', opts.ownerKey);
  form.set('decision', opts.decision ?? 'allow');
  for (const [k, v] of Object.entries(opts.fields ?? {})) form.set(k, v);
  const origin = new URL(authUrl).origin;
  const r = await fetch(`${origin}/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, ...opts.headers },
    body: form.toString(),
  });
  return { status: r.status, location: r.headers.get('location'), html: await r.text() };
}
