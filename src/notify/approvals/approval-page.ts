import type { ServerResponse } from 'node:http';
import { redact } from '../../audit/redact.js';
import type { Halt } from '../../halt/halt-queue.js';

/** No scripts, no external assets, no framing, no referrer, never cached: the page holds a live link. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:1.5rem auto;padding:0 1rem;color:#222}
h1{font-size:1.3rem}dt{font-weight:600;margin-top:.6rem}dd{margin:0}pre{white-space:pre-wrap;word-break:break-word;background:#f4f4f4;padding:.5rem;font-size:.85rem}
button{font-size:1.1rem;padding:.7rem 1.4rem;width:100%;margin-top:1rem}input{font-size:1.2rem;padding:.4rem;width:8rem;letter-spacing:.2rem}
.notice{background:#fff3cd;padding:.5rem}.deny{background:#c62828;color:#fff}.approve{background:#2e7d32;color:#fff}`;

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · fazt</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** The input as a person reads it: secrets and tokens redacted, long values cut. */
function inputSummary(input: unknown): string {
  const text = JSON.stringify(redact(input), null, 2) ?? '';
  return text.length > 2000 ? `${text.slice(0, 2000)}\n…` : text;
}

function details(halt: Halt): string {
  const rows: [string, string][] = [
    ['What', halt.reason],
    ['Operation', halt.op],
    ['Asked by', `${halt.caller.name} (${halt.caller.kind}, via ${halt.surface})`],
    ['Asked at', halt.createdAt],
    ['Expires at', halt.expiresAt],
    ['If nobody decides', halt.defaultDecision === 'proceed' ? 'it goes ahead at that time' : 'it is denied at that time'],
  ];
  return `<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(v)}</dd>`).join('')}<dt>Input</dt><dd><pre>${escapeHtml(inputSummary(halt.input))}</pre></dd></dl>`;
}

/** The page a GET shows: what will run and a form to confirm. Rendering it decides nothing. */
export function confirmPage(p: { halt: Halt; option: string; nonce: string; totp: boolean; notice?: string }): string {
  const deny = p.option.toLowerCase() === 'deny';
  const what = deny ? 'The call will not run.' : 'The call runs as soon as you confirm.';
  const body = `${p.notice ? `<p class="notice">${escapeHtml(p.notice)}</p>` : ''}
<p>This link stands for <strong>${escapeHtml(p.option)}</strong>. ${what}</p>${details(p.halt)}
<form method="post"><input type="hidden" name="nonce" value="${escapeHtml(p.nonce)}">
${p.totp ? '<p><label>Authenticator code<br><input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" maxlength="8" required></label></p>' : ''}
<button type="submit" class="${deny ? 'deny' : 'approve'}">${escapeHtml(p.option)}</button></form>`;
  return layout(`${p.option}: ${p.halt.op}?`, body);
}

/** After the decision: the halt as it now stands, with the stored call's result or error. */
export function resultPage(halt: Halt): string {
  const outcome =
    halt.status === 'approved' ? `<p>Approved. The call ran.</p><pre>${escapeHtml(inputSummary(halt.result))}</pre>`
    : halt.status === 'failed' ? `<p>Approved, but the call failed: ${escapeHtml(halt.error ? `${halt.error.code}: ${halt.error.message}` : 'unknown error')}</p>`
    : `<p>${escapeHtml(halt.status[0].toUpperCase() + halt.status.slice(1))}. The call did not run.</p>`;
  return layout(`Request ${halt.status}`, outcome + details(halt));
}

export function refusalPage(title: string, message: string): string {
  return layout(title, `<p>${escapeHtml(message)}</p>`);
}

export function sendPage(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(html);
  res.writeHead(status, { ...PAGE_HEADERS, 'content-length': String(body.length), ...headers });
  res.end(body);
}
