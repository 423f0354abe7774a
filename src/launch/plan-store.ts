import { randomBytes } from 'node:crypto';
import type { DB } from '../store/db.js';
import type { LaunchInput, StepState } from './step.js';

export type PlanStatus = 'running' | 'waiting' | 'done' | 'failed' | 'interrupted';

export interface LaunchPlan {
  id: string;
  app: string;
  domain: string;
  input: LaunchInput;
  caller: string;
  status: PlanStatus;
  steps: StepState[];
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  app: string;
  domain: string;
  input: string;
  caller: string;
  status: PlanStatus;
  steps: string;
  created_at: string;
  updated_at: string;
}

const toPlan = (r: Row): LaunchPlan => ({
  id: r.id, app: r.app, domain: r.domain, input: JSON.parse(r.input) as LaunchInput, caller: r.caller, status: r.status,
  steps: JSON.parse(r.steps) as StepState[], createdAt: r.created_at, updatedAt: r.updated_at,
});

/** Launch plans with each step's state, written after every step so a crash loses nothing. */
export class PlanStore {
  constructor(private readonly db: DB) {}

  create(input: LaunchInput, caller: string, steps: StepState[]): LaunchPlan {
    const now = new Date().toISOString();
    const id = 'launch_' + randomBytes(6).toString('hex');
    this.db
      .prepare('INSERT INTO launch_plans (id, app, domain, input, caller, status, steps, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, input.name, input.domain, JSON.stringify(input), caller, 'running', JSON.stringify(steps), now, now);
    return this.get(id)!;
  }

  get(id: string): LaunchPlan | undefined {
    const r = this.db.prepare('SELECT * FROM launch_plans WHERE id = ?').get(id) as Row | undefined;
    return r ? toPlan(r) : undefined;
  }

  list(limit: number): LaunchPlan[] {
    return (this.db.prepare('SELECT * FROM launch_plans ORDER BY created_at DESC, id DESC LIMIT ?').all(limit) as Row[]).map(toPlan);
  }

  save(plan: LaunchPlan): void {
    plan.updatedAt = new Date().toISOString();
    this.db.prepare('UPDATE launch_plans SET status = ?, steps = ?, updated_at = ? WHERE id = ?').run(plan.status, JSON.stringify(plan.steps), plan.updatedAt, plan.id);
  }

  /** Plans a stopped process left running: their running step's outcome is unknown until checked. */
  markInterrupted(): number {
    return this.db.prepare("UPDATE launch_plans SET status = 'interrupted', updated_at = ? WHERE status = 'running'").run(new Date().toISOString()).changes;
  }

  /** The latest launch of this app at this domain: launching again resumes it (or shows it, when done). */
  latest(app: string, domain: string): LaunchPlan | undefined {
    const r = this.db.prepare('SELECT * FROM launch_plans WHERE app = ? AND domain = ? ORDER BY created_at DESC, rowid DESC LIMIT 1').get(app, domain) as Row | undefined;
    return r ? toPlan(r) : undefined;
  }
}
