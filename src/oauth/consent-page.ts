import type { ServerResponse } from 'node:http';
import { escapeHtml } from '../notify/approvals/approval-page.js';
import { AUTHORIZE_PARAMS, type AuthorizeRequest } from './authorize-request.js';
import type { Choice } from './consent-choices.js';

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:1.5rem auto;padding:0 1rem;color:#222}
h1{font-size:1.3rem}dt{font-weight:600;margin-top:.6rem}dd{margin:0;word-break:break-word}fieldset{border:1px solid #ccc;margin-top:1rem}
label{display:block;padding:.2rem 0}input[type=password],input[type=text]{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}
button{font-size:1.1rem;padding:.7rem 1.4rem;margin-top:1rem;width:100%}.allow{background:#2e7d32;color:#fff}.deny{background:#eee}
.notice{background:#fff3cd;padding:.5rem}.warn{color:#b71c1c}:focus-visible{outline:3px solid #1565c0;outline-offset:2px}`;

/** The redirect URI's origin (or private scheme): the one place besides us a form on this page may lead to. */
function formTarget(redirectUri: string): string {
  const u = new URL(redirectUri);
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : u.protocol;
}

export function sendConsentPage(res: ServerResponse, status: number, html: string, redirectUri?: string): void {
  const body = Buffer.from(html);
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(body.length),
    // Browsers apply form-action to the redirect that follows the POST, so the client's redirect URI is named.
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'${redirectUri ? ` ${formTarget(redirectUri)}` : ''}; frame-ancestors 'none'`,
    'x-frame-options': 'DENY',
    // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` with the form, and the POST checks Origin.
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="same-origin"><title>${escapeHtml(title)} · fazt</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export interface ConsentView {
  request: AuthorizeRequest;
  params: URLSearchParams;
  choices: Choice[];
  /** Ticked values to show again after a failed submit. */
  ticked?: string[];
  /** Signed in: the session's CSRF token. Otherwise the owner key is asked, with our own form nonce. */
  csrf?: string;
  nonce?: string;
  loginUrl?: string;
  totp: boolean;
  notice?: string;
}

export function consentPage(v: ConsentView): string {
  const { client } = v.request;
  const rows: [string, string][] = [
    ['Application', client.name],
    ...(client.uri ? [['Its website', client.uri] as [string, string]] : []),
    ['Identified by', client.kind === 'document' ? client.clientId : `registration ${client.clientId}`],
    ['Sends you back to', v.request.redirectUri],
    ['Access to', v.request.resource],
    ...(v.request.requestedScope.length ? [['It asks for', v.request.requestedScope.join(' ')] as [string, string]] : []),
  ];
  const hidden = AUTHORIZE_PARAMS.map((n) => v.params.get(n)).map((val, i) => (val === null ? '' : `<input type="hidden" name="${AUTHORIZE_PARAMS[i]}" value="${escapeHtml(val)}">`)).join('');
  const ticked = v.ticked ? new Set(v.ticked) : undefined;
  const boxes = v.choices
    .map((c) => `<label><input type="checkbox" name="cap" value="${escapeHtml(c.cap)}"${(ticked ? ticked.has(c.cap) : c.checked) ? ' checked' : ''}> ${escapeHtml(c.label)} <code>${escapeHtml(c.cap)}</code>${c.cap === 'kernel:*' ? ' <span class="warn">full control</span>' : ''}</label>`)
    .join('');
  const who = v.csrf
    ? `<input type="hidden" name="csrf" value="${escapeHtml(v.csrf)}">`
    : `<input type="hidden" name="nonce" value="${escapeHtml(v.nonce ?? '')}">
<p><label for="owner_key">Owner key (the <code>token</code> in <code>~/.fazt/client.json</code> on the server)</label><input id="owner_key" type="password" name="owner_key" autocomplete="current-password" required></p>
${v.loginUrl ? `<p>Or <a href="${escapeHtml(v.loginUrl)}">sign in</a> and come back here.</p>` : ''}`;
  const totp = v.totp ? '<p><label for="code">Authenticator code</label><input id="code" type="text" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="8" required></p>' : '';
  const body = `${v.notice ? `<p class="notice" role="alert">${escapeHtml(v.notice)}</p>` : ''}
<p><strong>${escapeHtml(client.name)}</strong> wants to use this fazt server over MCP. It gets only what you tick; you can revoke it later with <code>fazt token revoke</code>.</p>
<dl>${rows.map(([k, val]) => `<dt>${k}</dt><dd>${escapeHtml(val)}</dd>`).join('')}</dl>
<form method="post" action="/authorize">${hidden}
<fieldset><legend>Grant</legend>${boxes}</fieldset>${who}${totp}
<button type="submit" name="decision" value="allow" class="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="deny" formnovalidate>Deny</button></form>`;
  return layout(`Connect ${client.name} to fazt?`, body);
}

export function errorPage(title: string, message: string): string {
  return layout(title, `<p>${escapeHtml(message)}</p><p>Nothing was granted. Go back to the application and try connecting again.</p>`);
}
