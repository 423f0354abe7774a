// Every call goes through the HTTP op surface (/api/ops/<name>) and the event streams.

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message ?? `The server answered HTTP ${status}.`);
    this.status = status;
    this.code = error?.code;
    this.details = error?.details;
  }
}

function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return '';
}

/** The CSRF token the sign-in set; state-changing calls echo it in a header. */
export const csrfToken = () => cookie('fazt_csrf');

/** Back to sign-in, coming back to this very page afterwards. */
export function signInAgain() {
  location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search + location.hash));
}

export async function op(name, input = {}) {
  const res = await fetch(`/api/ops/${encodeURIComponent(name)}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-fazt-csrf': csrfToken() },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (res.status === 401) {
    signInAgain();
    throw new ApiError(401, body?.error);
  }
  if (!res.ok) throw new ApiError(res.status, body?.error);
  return body;
}

/** Follows a server-sent event stream; returns the function that stops it. */
export function follow(path, onData, onState = () => {}) {
  const es = new EventSource(path);
  es.onopen = () => onState('live');
  es.onmessage = (e) => {
    try {
      onData(JSON.parse(e.data));
    } catch {
      /* a frame that is not JSON is not ours */
    }
  };
  es.onerror = () => {
    onState(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    // A stream refused outright is most often an expired session: one op call finds out (and signs in again).
    if (es.readyState === EventSource.CLOSED) op('auth.totp.status').catch(() => {});
  };
  return () => es.close();
}
