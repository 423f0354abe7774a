import { AppPool } from './pool.js';
import type { AppCode, EncodedResponse, HostCall, Invocation, Registrations } from './slot.js';

/**
 * Runs one app version's code, wherever that happens: in this thread
 * (LocalRunner) or in a sandbox worker thread (worker/worker-runner.ts).
 * Every method is one invocation with its own limits.
 */
export interface AppRunner {
  readonly spec: AppCode;
  readonly lastUsed: number;
  request(requestJson: string, inv: Invocation): Promise<EncodedResponse>;
  tool(name: string, argsJson: string, inv: Invocation): Promise<string>;
  resource(uriTemplate: string, uri: string, paramsJson: string, inv: Invocation): Promise<string>;
  event(index: number, eventJson: string, inv: Invocation): Promise<void>;
  dispose(): void;
}

/** What the runtime needs from wherever sandboxes run. */
export interface SandboxHost {
  runner(key: string, spec: AppCode): AppRunner;
  /** Evaluates code once, outside any pool, and returns its registrations: the deploy-time check. */
  collect(spec: AppCode): Promise<Registrations>;
  stop(): void;
}

/** Sandboxes in the calling thread: warm pools per app version. */
export class LocalRunner implements AppRunner {
  private readonly pool: AppPool;

  constructor(
    readonly spec: AppCode,
    host: HostCall,
  ) {
    this.pool = new AppPool(spec, host);
  }

  get lastUsed(): number {
    return this.pool.lastUsed;
  }

  async request(requestJson: string, inv: Invocation): Promise<EncodedResponse> {
    return (await this.pool.take()).request(requestJson, inv);
  }

  async tool(name: string, argsJson: string, inv: Invocation): Promise<string> {
    return (await this.pool.take()).tool(name, argsJson, inv);
  }

  async resource(uriTemplate: string, uri: string, paramsJson: string, inv: Invocation): Promise<string> {
    return (await this.pool.take()).resource(uriTemplate, uri, paramsJson, inv);
  }

  async event(index: number, eventJson: string, inv: Invocation): Promise<void> {
    return (await this.pool.take()).event(index, eventJson, inv);
  }

  dispose(): void {
    this.pool.dispose();
  }
}

/** Evaluates code in a slot of its own, then frees it with its engine's pool. */
export async function collectOnce(spec: AppCode, host: HostCall): Promise<Registrations> {
  const pool = new AppPool(spec, host, 0);
  try {
    return await (await pool.fresh()).collect();
  } finally {
    pool.dispose();
  }
}

/** Sandboxes in this thread. Host calls are bound per app by `hostFor`. */
export class LocalSandboxes implements SandboxHost {
  constructor(private readonly hostFor: (app: AppCode['app']) => HostCall) {}

  runner(_key: string, spec: AppCode): AppRunner {
    return new LocalRunner(spec, this.hostFor(spec.app));
  }

  collect(spec: AppCode): Promise<Registrations> {
    return collectOnce(spec, this.hostFor(spec.app));
  }

  stop(): void {}
}
