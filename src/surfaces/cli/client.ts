import { PRESENCE_HEADER } from '../../auth/presence.js';
import { HUMAN_HEADER } from '../http/authenticate.js';

export interface OpResponse {
  status: number;
  body: unknown;
}

/** Talks to a fazt server's HTTP surface: the CLI never touches the database itself. */
export class FaztClient {
  constructor(
    readonly url: string,
    private readonly token: string,
    /** The local server's presence secret: sent only by the CLI on the same machine. */
    private readonly presence?: string,
  ) {}

  /** Credentials on every request; `human` claims a confirming person, which counts only with the presence proof. */
  private auth(human = false): Record<string, string> {
    return {
      authorization: `Bearer ${this.token}`,
      ...(this.presence ? { [PRESENCE_HEADER]: this.presence } : {}),
      ...(human ? { [HUMAN_HEADER]: '1' } : {}),
    };
  }

  /** `task`: run it as a task (the server answers 202 with the task id at once). */
  async callOp(name: string, input: unknown, opts: { human?: boolean; task?: boolean } = {}): Promise<OpResponse> {
    return this.request('POST', `/api/ops/${encodeURIComponent(name)}`, JSON.stringify(input ?? {}), opts);
  }

  async request(method: string, path: string, body?: string, opts: { human?: boolean; accept?: string; task?: boolean } = {}): Promise<OpResponse> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.url), {
        method,
        headers: {
          ...this.auth(opts.human),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(opts.task ? { prefer: 'respond-async' } : {}),
        },
        body,
      });
    } catch (err) {
      throw unreachable(this.url, err);
    }
    return readResponse(res);
  }

  /** A request with this client's credentials and any body (streamed uploads with progress). */
  raw(path: string, init: RequestInit & { duplex?: 'half' }): Promise<Response> {
    return fetch(new URL(path, this.url), { ...init, headers: { ...this.auth(), ...(init.headers as Record<string, string>) } });
  }

  /** Opens a streaming GET (SSE); the caller reads `body`. */
  async stream(path: string, signal?: AbortSignal): Promise<Response> {
    return fetch(new URL(path, this.url), { headers: { ...this.auth(), accept: 'text/event-stream' }, signal });
  }
}

/** Why fetch failed, as its low-level code (ECONNREFUSED, EPIPE, …) when there is one. */
export function failureCause(err: unknown): string {
  return (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
}

export function unreachable(url: string, err: unknown): Error {
  return new Error(`Cannot reach the fazt server at ${url} (${failureCause(err)}). Start it with 'fazt server start' or pass --server URL.`);
}

/** The body as JSON when it is JSON, else as text. */
export async function readResponse(res: Response): Promise<OpResponse> {
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed };
}
