const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `*{box-sizing:border-box}body{font:16px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;background:#0f1115;color:#e6e6e6}
main{max-width:24rem;margin:12vh auto;padding:0 1.25rem}h1{font-size:1.6rem;margin:0 0 1rem}label{display:block;margin:.9rem 0 .3rem;font-weight:600}
input{width:100%;padding:.6rem .7rem;font:inherit;border:1px solid #3a4250;border-radius:6px;background:#171a21;color:inherit}
button{margin-top:1.2rem;width:100%;padding:.65rem;font:inherit;font-weight:600;border:0;border-radius:6px;background:#3b82f6;color:#fff;cursor:pointer}
:focus-visible{outline:3px solid #facc15;outline-offset:2px}.error{background:#3b1219;border:1px solid #7f1d1d;padding:.6rem .8rem;border-radius:6px}
.muted{color:#9aa3ad;font-size:.9rem}code{background:#1b1f27;padding:.1em .3em;border-radius:4px}`;

export interface LoginPageOptions {
  next: string;
  nonce: string;
  totp: boolean;
  error?: string;
}

/** The sign-in form: works without scripts, so OAuth consent and the dashboard share it. */
export function loginPage(o: LoginPageOptions): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sign in — fazt</title><style>${STYLE}</style></head>
<body><main>
<h1>Sign in to fazt</h1>
${o.error ? `<p class="error" role="alert" id="login-error">${esc(o.error)}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="nonce" value="${esc(o.nonce)}">
<input type="hidden" name="next" value="${esc(o.next)}">
<input type="text" name="username" value="owner" autocomplete="username" hidden>
<label for="password">Password or owner key</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
${o.totp ? `<label for="code">Authenticator code</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,8}" required>` : ''}
<button type="submit">Sign in</button>
</form>
<p class="muted">No password yet? Run <code>fazt auth password set</code> on the server, or sign in with the owner key.</p>
</main></body>
</html>
`;
}
