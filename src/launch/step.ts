import type { Kernel } from '../kernel/kernel.js';
import type { OpContext } from '../kernel/ops/define.js';

/** What `apps.launch` was asked. */
export interface LaunchInput {
  name: string;
  domain: string;
  template?: string;
  /** Point the domain at this address (A or AAAA) through a DNS provider that hosts its zone. */
  address?: string;
  /** Run the app on another server, created (or reused when one of that name exists) with fazt installed. */
  vps?: LaunchServer;
}

export interface LaunchServer {
  provider: string;
  type: string;
  region: string;
  /** The server's name; the app's slug by default. */
  name: string;
}

export type StepStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'waiting';

/** One step of a plan as it is stored and shown. */
export interface StepState {
  key: string;
  title: string;
  op: string;
  status: StepStatus;
  /** Plain words: what the step will do, or why it is skipped. */
  detail: string;
  output?: unknown;
  error?: { code: string; message: string };
  /** The halt waiting for the owner when status is 'waiting'. */
  haltId?: string;
  /** The server whose fazt runs the step's op (through infra.peers.call); absent: this one. */
  server?: string;
}

export interface StepContext {
  op: OpContext;
  input: LaunchInput;
  /** Outputs of the steps done so far, by key. */
  outputs: Record<string, unknown>;
  /** A read-only op's output where the step runs (this node or the launch's server); undefined when it fails. */
  probe(name: string, input: unknown): Promise<unknown | undefined>;
}

export interface Plan {
  detail: string;
  skip?: boolean;
}

/**
 * One step of the launch: an ordinary op call. `plan` says what it will do (or
 * why it does not apply) without side effects; `done` tells, after a crash,
 * whether the call already took effect, so a resumed launch never does it twice.
 */
export interface LaunchStep {
  key: string;
  title: string;
  op: string;
  /** Runs on the launch's server when it has one (the app's own steps), else on this node. */
  onServer?: boolean;
  /** What the step will do; `op` when it picks one of several (the DNS record: built-in server or a provider). */
  plan(input: LaunchInput, kernel: Kernel): Plan | Promise<Plan>;
  /** The input of `op` (the planned one). */
  call(ctx: StepContext, op: string): unknown;
  done(ctx: StepContext): Promise<unknown | undefined>;
}
