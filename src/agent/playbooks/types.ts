import type { Kernel } from '../../kernel/kernel.js';
import type { Metrics } from '../../pulse/collectors/define.js';
import type { AgentConfig } from '../config.js';
import type { OpCall } from '../journal.js';

/** A pulse issue as the agent receives it (the `system.pulse.issue` event). */
export interface IssueSeen {
  key: string;
  severity: string;
  title: string;
  description: string;
  recommendation?: string;
  subject: string;
  metric?: string;
  value?: number | null;
  beatId?: number;
  at?: string;
}

/**
 * What a playbook (or the model) proposes: one op call, with the words a person
 * needs to judge it. `allowListed` marks the playbook's safe actions that medium
 * may take alone; the policy decides, never the playbook.
 */
export interface Proposal extends OpCall {
  /** How the option reads in a halt: "Roll back shop to version 1". */
  label: string;
  reason: string;
  expected: string;
  undo?: OpCall & { description: string };
  verify: string;
  allowListed: boolean;
  /** Renewal stays allowed when the personality is cautious. */
  certRenewal?: boolean;
  /** More answers for the owner that run nothing ("Expand disk", "Ignore"). */
  otherOptions?: string[];
  /** Where the proposal came from: a playbook name or 'model'. */
  source: string;
}

/** Nothing the agent could do: tell the owner what it found. */
export interface Diagnosis {
  reason: string;
  details: string[];
}

/** An action handled inside the agent itself (switching its channel, backing off), journaled like any other. */
export interface InternalAction {
  description: string;
  run: () => Promise<string> | string;
}

export type Plan = { proposal: Proposal } | { diagnosis: Diagnosis } | { internal: InternalAction };

export type Verdict = 'ok' | 'failed' | 'pending';

export interface PlaybookContext {
  kernel: Kernel;
  config: AgentConfig;
  /** Runs a read op as the agent (audited, capability-checked). */
  read<T = any>(op: string, input: Record<string, unknown>): Promise<T>;
  /** Is this op registered on this server right now? */
  has(op: string): boolean;
}

export interface Playbook {
  name: string;
  title: string;
  /** The action it takes, its expected effect, its undo and how it is verified, in words. */
  action: string;
  expected: string;
  undo: string;
  verify: string;
  matches(issue: IssueSeen): boolean;
  /** Issues with the same group key are one incident (an app's errors and sandbox failures). */
  group(issue: IssueSeen): string;
  plan(ctx: PlaybookContext, issue: IssueSeen): Promise<Plan | null>;
  /** After acting: is the issue gone in this beat? */
  check?(ctx: PlaybookContext, subject: string, beat: { metrics: Metrics; issues: { key: string }[] }): Verdict;
}
