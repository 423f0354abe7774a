import type { Caller, Surface } from './define.js';

/**
 * A person is present at this call. The agent never is, whatever its Caller says:
 * a bug that sets `human` on the agent's caller, or calls through the agent surface,
 * still cannot skip the halt gate, answer a confirmation or decide a halt.
 */
export function isPresentHuman(caller: Caller, surface: Surface): boolean {
  return caller.human && caller.kind !== 'agent' && surface !== 'agent';
}

/** Calls made by the agent (its own caller kind, or through its surface). */
export function isAgentCall(caller: Caller, surface: Surface): boolean {
  return caller.kind === 'agent' || surface === 'agent';
}
