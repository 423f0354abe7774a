import type { AppRecord } from './apps-service.js';

/** What a deploy is about to make live. */
export interface PendingDeploy {
  app: AppRecord;
  version: number;
  /** Every file of the new version, by path relative to the app root (e.g. `api/main.js`). */
  files: ReadonlyMap<string, Buffer>;
  /** Parsed manifest.json, or {} when absent. */
  manifest: Record<string, unknown>;
  /** What the person deploying should know (returned with the deploy): hooks add to it. */
  notices: string[];
}

/**
 * Runs before a new version goes live. Throwing (an OpError) fails the deploy and
 * leaves the previous version serving — the runtime uses this to evaluate
 * api/main.js and collect its tool/resource registrations.
 */
export type BeforeActivateHook = (deploy: PendingDeploy) => Promise<void> | void;

export class DeployHooks {
  private readonly before: { name: string; hook: BeforeActivateHook }[] = [];

  beforeActivate(name: string, hook: BeforeActivateHook): void {
    this.before.push({ name, hook });
  }

  async runBeforeActivate(deploy: PendingDeploy): Promise<void> {
    for (const { hook } of this.before) await hook(deploy);
  }
}

declare module '../kernel/services.js' {
  interface Services {
    deployHooks: DeployHooks;
  }
}
