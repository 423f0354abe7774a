import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler, type NodeMcpRequestHandler } from '@modelcontextprotocol/node';
import { classifyInboundRequest, createMcpHandler, legacyStatelessFallback, type AuthInfo, type McpHttpHandler, type McpServerFactory, type Server, type ServerContext } from '@modelcontextprotocol/server';
import type { Caller } from '../../kernel/ops/define.js';
import type { RateDecision } from '../../kernel/rate-limiter.js';
import type { McpCatalog } from './catalog.js';
import { verifyConfirmState } from './confirm.js';
import { BodyTooLarge, clientAddressKey, isInitialize, parseMessage, readLimited, sendRpcError } from './http-util.js';
import { LegacySseTransport } from './sse-transport.js';
import { buildServer, type SubscriptionSet } from './server-factory.js';
import { DEFAULT_SESSION_LIMITS, type SessionLimits } from './session-limits.js';
import { SessionTable, type SessionOwner, type TableEntry } from './session-table.js';
import { SessionTransport } from './session-transport.js';

/** Who is asking and what they reach: the kernel, one app, or the conformance fixture. */
export interface Target {
  /** Sessions are tied to it: `kernel`, `app:<id>`, `fixture`. */
  key: string;
  /** Token id (or 'public'); a session cannot be reused with another token. */
  principal: string;
  caller?: Caller;
  makeCatalog(caller: () => Caller | undefined): McpCatalog;
  /** Verifies multi-round-trip state minted by this target's catalog (default: the confirmation codec). */
  verifyState?: (state: string, ctx: ServerContext) => unknown | Promise<unknown>;
}

interface Session extends TableEntry {
  kind: 'streamable' | 'sse';
  target: Target;
  server: Server;
  transport: SessionTransport | LegacySseTransport;
  subscriptions: SubscriptionSet;
}

export interface EndpointOptions {
  maxMessageBytes: number;
  /** Deepest JSON nesting a message may have (`http.maxJsonDepth`, default 64). */
  maxJsonDepth?: number;
  /** Asked before a JSON-RPC request reaches the SDK: a caller over its rate limit gets HTTP 429. */
  rateCheck?: (caller: Caller) => RateDecision;
  /** Caps and idle time of 2025 and SSE sessions (default DEFAULT_SESSION_LIMITS). */
  sessions?: SessionLimits;
  /** The clock sessions are aged by (tests pass their own). */
  now?: () => number;
}

const targetOf = (auth: AuthInfo | undefined) => (auth?.extra as { target?: Target } | undefined)?.target;

/**
 * Serves MCP over HTTP for any Target. 2026-07-28 requests go to the SDK's
 * stateless handler; 2025-11-25 clients get real sessions (Mcp-Session-Id),
 * so server-initiated elicitation and notifications work; 2024 clients get
 * the HTTP+SSE transport. One server factory backs all of them.
 */
export class McpEndpoint {
  private readonly sessions: SessionTable<Session>;
  private readonly factory: McpServerFactory = (ctx) => {
    const target = targetOf(ctx.authInfo);
    if (!target) throw new Error('MCP request without a resolved target');
    return buildServer({ catalog: target.makeCatalog(() => target.caller), verifyState: target.verifyState ?? verifyConfirmState });
  };
  private readonly modern: McpHttpHandler;
  private readonly modernNode: NodeMcpRequestHandler;
  private readonly stateless: NodeMcpRequestHandler;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly opts: EndpointOptions) {
    const maxRequestBodySize = opts.maxMessageBytes;
    this.modern = createMcpHandler(this.factory, { legacy: 'reject', maxRequestBodySize });
    this.modernNode = toNodeHandler(this.modern, { maxRequestBodySize });
    this.stateless = toNodeHandler({ fetch: legacyStatelessFallback(this.factory, undefined, { maxRequestBodySize }) }, { maxRequestBodySize });
    this.sessions = new SessionTable(opts.sessions ?? DEFAULT_SESSION_LIMITS, opts.now);
    this.sweeper = setInterval(() => this.sweep(), this.sessions.limits.sweepMs);
    this.sweeper.unref();
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Closes sessions idle since before `now - idleMs` (a timer runs it every `sweepMs`); returns how many. */
  sweep(now?: number): number {
    return this.sessions.sweep(now);
  }

  /** Streamable HTTP (`/mcp`): POST, GET (2025 notification stream), DELETE (end session). */
  async handle(req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse, target: Target): Promise<void> {
    req.auth = authFor(target);
    const sid = header(req, 'mcp-session-id');
    if (req.method === 'GET' || req.method === 'DELETE') {
      if (!sid) return sendRpcError(res, 405, -32000, 'Method not allowed without an Mcp-Session-Id: POST an initialize request first.', { allow: 'POST' });
      const s = this.session(sid, target, res);
      if (s && s.transport instanceof SessionTransport) await this.during(s, res, () => (s.transport as SessionTransport).handleNode(req, res));
      return;
    }
    if (req.method !== 'POST') return sendRpcError(res, 405, -32000, 'Use POST, GET or DELETE.', { allow: 'GET, POST, DELETE' });
    const body = await this.readBody(req, res);
    if (body === undefined || this.overLimit(res, target, body)) return;
    if (sid) {
      const s = this.session(sid, target, res);
      if (s && s.transport instanceof SessionTransport) await this.during(s, res, () => (s.transport as SessionTransport).handleNode(req, res, body));
      return;
    }
    // The SDK's own era rule, applied to the body we already parsed (no probe Request, no second parse).
    const era = classifyInboundRequest({
      httpMethod: 'POST',
      protocolVersionHeader: header(req, 'mcp-protocol-version'),
      mcpMethodHeader: header(req, 'mcp-method'),
      mcpNameHeader: header(req, 'mcp-name'),
      body,
    });
    if (era.kind !== 'legacy') return this.modernNode(req, res, body);
    if (isInitialize(body)) return this.startSession(req, res, target, body);
    return this.stateless(req, res, body);
  }

  /** Legacy SSE: GET opens the stream, POST `messagesPath?sessionId=` delivers messages. */
  async handleSse(req: IncomingMessage, res: ServerResponse, target: Target, messagesPath: string): Promise<void> {
    const who = ownerOf(target, req);
    if (!this.roomFor(res, who)) return;
    const transport = new LegacySseTransport(res, messagesPath);
    const s = this.register('sse', transport.sessionId, target, who, transport);
    // The open stream is the session: in use (never idle) until it closes.
    await this.during(s, res, () => s.server.connect(transport));
  }

  async handleSseMessage(req: IncomingMessage, res: ServerResponse, target: Target, sessionId: string): Promise<void> {
    const s = this.session(sessionId, target, res);
    if (!s) return;
    if (!(s.transport instanceof LegacySseTransport)) return sendRpcError(res, 400, -32000, 'That session is not an SSE session.');
    const body = await this.readBody(req, res);
    if (body === undefined || this.overLimit(res, target, body)) return;
    res.writeHead(202).end('Accepted');
    s.transport.receive(body as never);
  }

  /** `notifications/resources/updated` to every session subscribed to `uri`, and to 2026 listeners. */
  resourceUpdated(uri: string): void {
    for (const s of this.sessions.values()) if (s.subscriptions.has(uri)) s.server.sendResourceUpdated({ uri }).catch(() => {});
    this.modern.notify.resourceUpdated(uri);
  }

  /** `notifications/prompts/list_changed` to every session and 2026 listener. */
  promptsChanged(): void {
    for (const s of this.sessions.values()) s.server.sendPromptListChanged();
    this.modern.notify.promptsChanged();
  }

  /** `notifications/tools/list_changed` to sessions whose target key matches. */
  toolsChanged(match: (key: string, caller?: Caller) => boolean): void {
    for (const s of this.sessions.values()) if (match(s.target.key, s.target.caller)) s.server.sendToolListChanged();
    this.modern.notify.toolsChanged();
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.allSettled([...this.sessions.values()].map((s) => s.transport.close()));
    for (const s of [...this.sessions.values()]) this.sessions.delete(s.id);
    await this.modern.close();
  }

  private async startSession(req: IncomingMessage, res: ServerResponse, target: Target, body: unknown): Promise<void> {
    const who = ownerOf(target, req);
    if (!this.roomFor(res, who)) return;
    const id = randomUUID();
    const transport = new SessionTransport(id, this.opts.maxMessageBytes);
    const s = this.register('streamable', id, target, who, transport);
    await s.server.connect(transport);
    await this.during(s, res, () => transport.handleNode(req, res, body));
    // A failed initialize never produced a session the client can use.
    if (res.statusCode >= 400) {
      this.sessions.delete(id);
      void transport.close();
    }
  }

  /** Runs one request of `s`; the session counts as in use until the response closes (streams included). */
  private async during(s: Session, res: ServerResponse, run: () => Promise<void>): Promise<void> {
    const end = this.sessions.begin(s);
    if (res.writableFinished || res.destroyed) end();
    else res.once('close', end);
    await run();
  }

  /**
   * Closures a session keeps (onclose, close) are made here, away from the
   * request handlers: made beside them, they would share a context holding
   * the first request and response for the whole life of the session.
   */
  private register(kind: Session['kind'], id: string, target: Target, who: SessionOwner, transport: Session['transport']): Session {
    transport.onclose = () => this.sessions.delete(id);
    const subscriptions: SubscriptionSet = new Set();
    const s: Session = { id, kind, target, who, transport, subscriptions, lastSeen: 0, active: 0, close: () => transport.close(), server: undefined as never };
    // The session keeps the latest authenticated caller, so each request acts with current rights.
    s.server = buildServer({ catalog: target.makeCatalog(() => s.target.caller), sessionId: () => id, subscriptions, verifyState: target.verifyState ?? verifyConfirmState });
    this.sessions.add(s);
    return s;
  }

  private session(id: string, target: Target, res: ServerResponse): Session | undefined {
    const s = this.sessions.get(id);
    if (!s || s.target.key !== target.key || s.target.principal !== target.principal) {
      sendRpcError(res, 404, -32001, 'Session not found: it ended or never existed. Start a new one with initialize.');
      return undefined;
    }
    s.target = target;
    return s;
  }

  private roomFor(res: ServerResponse, who: SessionOwner): boolean {
    const a = this.sessions.admit(who);
    if (a.ok) return true;
    sendRpcError(res, a.status, -32000, a.message, { 'retry-after': String(a.retryAfter) });
    return false;
  }

  private async readBody(req: IncomingMessage, res: ServerResponse): Promise<unknown | undefined> {
    let buf: Buffer;
    try {
      buf = await readLimited(req, this.opts.maxMessageBytes);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      sendRpcError(res, 413, -32600, `Message too large: the limit is ${this.opts.maxMessageBytes} bytes per JSON-RPC message.`, { connection: 'close' });
      return undefined;
    }
    const parsed = parseMessage(buf, this.opts.maxJsonDepth);
    if (!parsed.ok) return void sendRpcError(res, parsed.status, parsed.code, parsed.message);
    return parsed.value;
  }

  /** Requests only: answers to our own elicitations and notifications always get through. */
  private overLimit(res: ServerResponse, target: Target, body: unknown): boolean {
    const msg = body as { id?: unknown; method?: unknown };
    if (!this.opts.rateCheck || !target.caller || typeof msg.method !== 'string' || msg.id === undefined) return false;
    const d = this.opts.rateCheck(target.caller);
    if (d.ok) return false;
    const text = `Rate limit of ${d.limit} calls per minute reached for this token; retry in ${d.retryAfter}s.`;
    sendRpcError(res, 429, -32000, text, { 'retry-after': String(d.retryAfter) }, msg.id);
    return true;
  }
}

/** Who a new session counts against: the owner's reserve, a token, or (without a token) the client's address. */
function ownerOf(target: Target, req: IncomingMessage): SessionOwner {
  const c = target.caller;
  const pub = !c || c.kind === 'public';
  return { endpoint: target.key, caller: pub ? `ip:${clientAddressKey(req.socket.remoteAddress)}` : `principal:${target.principal}`, owner: c?.kind === 'owner', public: pub };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function authFor(target: Target): AuthInfo {
  return { token: '', clientId: target.principal, scopes: target.caller?.caps ?? [], extra: { target } };
}
