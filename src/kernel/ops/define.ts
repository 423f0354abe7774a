import type { z } from 'zod';
import { mayEverHold } from '../../auth/capabilities.js';
import type { Config } from '../config.js';
import type { Kernel } from '../kernel.js';
import { strictInput } from './strict-input.js';

export type Risk = 'read' | 'write' | 'destructive' | 'costly';
export type Surface = 'http' | 'cli' | 'mcp' | 'js' | 'agent' | 'system' | 'halt';

/** Who is calling. `human` means a person is present and may run destructive ops directly. */
export interface Caller {
  kind: 'owner' | 'token' | 'app' | 'agent' | 'system' | 'public';
  name: string;
  caps: string[];
  human: boolean;
  tokenId?: string;
  appId?: string;
}

/** What a halt asks the human. */
export interface HaltQuestion {
  op: string;
  reason: string;
  options: string[];
  input: unknown;
}

/** One answer the owner may give a halt: `runs` false means choosing it runs nothing. */
export interface HaltChoice {
  option: string;
  runs: boolean;
}

export interface HaltAsk {
  reason?: string;
  choices?: HaltChoice[];
}

export type ConfirmAnswer =
  | { action: 'accept'; option?: string }
  | { action: 'decline' }
  | { action: 'unavailable' }
  /** The surface will show the halt's own approval page instead (MCP URL elicitation): make the halt, then `showHalt`. */
  | { action: 'link' };

/** A halt as a surface shows it to the person who decides. */
export interface ShownHalt {
  id: string;
  reason: string;
  expiresAt: string;
}

/** How a shown halt ended, once decided on its page; undefined while it is still pending. */
export interface ShownHaltOutcome {
  status: string;
  result: unknown;
  error: { code: string; message: string } | null;
}

export interface InvokeOptions {
  surface: Surface;
  requestId?: string;
  /** Transport session details for the audit trail (MCP session id, client name). */
  session?: { id?: string; client?: string };
  /** Ask the present human right now (MCP elicitation); absent when nobody can be asked. */
  confirm?: (q: HaltQuestion) => Promise<ConfirmAnswer>;
  /** After confirm answered 'link': show the halt's approval page and wait for its decision. */
  showHalt?: (halt: ShownHalt) => Promise<ShownHaltOutcome | undefined>;
  signal?: AbortSignal;
  /** Progress for long operations (deploy uploads, beats). */
  progress?: (done: number, total: number, message?: string) => void;
  /** Set by the halt queue when it runs an approved call: skips the halt gate (only while that approval runs). */
  approvedHaltId?: string;
  /** Persist this call as a halt even when its risk would let it run (a caller asking first). */
  forceHalt?: boolean;
  /** What a halt made by this call asks instead of the op's defaults; each option runs the call or nothing. */
  haltQuestion?: HaltAsk;
  /** Text as a streaming op produces it (HTTP Server-Sent Events, MCP progress, the terminal). */
  onText?: (delta: string) => void;
  /** The connected client's model (MCP sampling), offered when the surface has one. */
  sample?: SampleFn;
  /** Called once every check passed, just before the handler runs (tasks start here). */
  onRun?: () => void;
}

/** A model the calling client lends (MCP sampling/createMessage). */
export type SampleFn = (req: {
  system?: string;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  maxTokens: number;
}) => Promise<{ text: string; model: string }>;

export interface OpContext {
  kernel: Kernel;
  caller: Caller;
  surface: Surface;
  requestId: string;
  signal?: AbortSignal;
  progress: (done: number, total: number, message?: string) => void;
  /** Where a streaming op sends text as it comes; absent when nobody listens. */
  text?: (delta: string) => void;
  sample?: SampleFn;
  /**
   * How this call's surface asks its person (MCP elicitation). Calls an op makes on the
   * caller's behalf (a launch's steps) ask the same way, so a costly step inside is
   * confirmed in the client rather than left as a halt.
   */
  ask?: Pick<InvokeOptions, 'confirm' | 'showHalt'>;
}

export interface CliHints {
  /** Command words, default derived from the name (`deploy.rollback` → `deploy rollback`). */
  command?: string[];
  /** Input fields taken from positional arguments, in order. */
  positional?: string[];
  /**
   * The halt a result is waiting on, if any (a launch paused for a costly step): at a
   * terminal the CLI asks the owner there, approves it and calls again.
   */
  waitsOn?: (output: unknown) => string | undefined;
}

export interface OpDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  /** Written for a model and a person: what it does, when to use it, what it returns. */
  description: string;
  input: I;
  output: O;
  /**
   * Capability needed; an array means any one of them. `{field}` is filled from the
   * validated input (app references are resolved to ids first).
   */
  requires: string | string[];
  risk: Risk;
  idempotent?: boolean;
  /** Touches the world outside this server (infra providers). */
  openWorld?: boolean;
  /** Produces text as it goes (ctx.text): HTTP can answer it as Server-Sent Events. */
  streams?: boolean;
  /** Only a present human may call it (deciding halts): never offered to models. */
  humanOnly?: boolean;
  /**
   * The risk of one call when it depends on the input (an app tool its author
   * declared destructive); the halt gate judges this, not `risk`, when present.
   */
  riskOf?: (input: z.output<I>, kernel: Kernel) => Risk;
  /** One sentence telling the human what a halted call would do. */
  describeHalt?: (input: z.output<I>, kernel: Kernel) => string;
  /**
   * Checks that need the world (a provider's server types, a name already taken), made
   * before anyone is asked or a halt is stored: a call that would fail is refused now,
   * not put to the owner. The handler checks again when it runs. It may return the input
   * to ask about and store instead (a price pinned to what the owner is shown).
   */
  checkBeforeAsking?: (input: z.output<I>, kernel: Kernel) => Promise<z.output<I> | void>;
  haltOptions?: string[];
  cli?: CliHints;
  /**
   * Takes long enough that a caller may run it as a task: it returns at once with a
   * task id to watch (`tasks.get`), and the handler honours ctx.signal and reports ctx.progress.
   */
  longRunning?: boolean;
  /** A task of this op interrupted by a restart is run again with its stored input, rather than failed. */
  resumable?: boolean;
  /**
   * Largest request body the HTTP surface reads for this op, in bytes (413 above it);
   * a function reads it from the server's config. Default DEFAULT_MAX_INPUT_BYTES.
   */
  maxInputBytes?: number | ((config: Config) => number);
  handler: (ctx: OpContext, input: z.output<I>) => Promise<z.output<O>> | z.output<O>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOp = OpDef<any, any>;

const NAME_RE = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;

export function defineOp<I extends z.ZodType, O extends z.ZodType>(def: OpDef<I, O>): OpDef<I, O> {
  if (!NAME_RE.test(def.name)) throw new Error(`invalid op name '${def.name}'`);
  // Strict here, once, so every surface (HTTP, CLI, MCP schemas, JS) refuses unknown fields alike.
  return Object.freeze({ ...def, input: strictInput(def.input) });
}

/** Most ops take a few fields: a body beyond this is refused before it is buffered. */
export const DEFAULT_MAX_INPUT_BYTES = 1024 * 1024;

export function maxInputBytes(op: AnyOp, config: Config): number {
  const m = op.maxInputBytes;
  return m === undefined ? DEFAULT_MAX_INPUT_BYTES : typeof m === 'function' ? m(config) : m;
}

/** `requires: ANY_CALLER` lets any authenticated caller in; the handler scopes what it returns. */
export const ANY_CALLER = 'authenticated';

/** The risk the halt gate applies to this call: `riskOf` when the op has one, else its static risk. */
export function callRisk(op: AnyOp, validInput: unknown, kernel: Kernel): Risk {
  return op.riskOf ? op.riskOf(validInput as never, kernel) : op.risk;
}

export function requiredCaps(op: AnyOp): string[] {
  return Array.isArray(op.requires) ? op.requires : [op.requires];
}

/** Could these capabilities ever satisfy the op (some input value may still be refused)? */
export function mayUse(op: AnyOp, caps: readonly string[]): boolean {
  const req = requiredCaps(op);
  return req.includes(ANY_CALLER) || req.some((r) => mayEverHold(caps, r));
}
