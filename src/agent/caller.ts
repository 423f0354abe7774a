import type { Caller } from '../kernel/ops/define.js';

/**
 * What the agent may touch. It holds no halt, token, secret or settings capability,
 * so it can never approve a halt or widen its own powers; destructive and costly
 * ops it can reach (logs.cleanup, apps.delete) always halt in the pipeline.
 */
export const AGENT_CAPS: readonly string[] = Object.freeze([
  'kernel:apps:read', 'kernel:apps:write',
  'kernel:logs:read', 'kernel:logs:write',
  'kernel:pulse:read',
  'kernel:notify:read', 'kernel:notify:write',
  'kernel:net:*', 'kernel:ssl:*',
  'kernel:halt:read',
  'kernel:agent:read', 'kernel:agent:ack',
]);

/** The agent's own caller: kind and surface `agent`, never a present human. */
export const AGENT_CALLER: Caller = Object.freeze({ kind: 'agent', name: 'agent', caps: [...AGENT_CAPS], human: false }) as Caller;
