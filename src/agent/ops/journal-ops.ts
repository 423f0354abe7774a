import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { parseSince } from '../../kernel/time.js';
import { explain } from '../explain.js';
import { PLAYBOOKS } from '../playbooks/index.js';
import { decisionSchema, preferenceSchema } from './schemas.js';

const READ = 'kernel:agent:read';

export const agentDecisions = defineOp({
  name: 'agent.decisions',
  title: 'Agent decisions',
  description: 'The decision journal, newest first (kept 90 days): what the agent saw, the options it considered, what it chose and why, the action, the outcome, verification and undo. Filter by time (since: 1h, 7d or ISO), app, kind (playbook name or model) and text (q).',
  input: z.object({
    since: z.string().optional().describe('A duration ago (1h, 7d) or an ISO time'),
    app: z.string().min(1).max(63).optional(),
    kind: z.string().min(1).max(60).optional().describe('Playbook name (bad-deploy, disk-high, ...) or model'),
    q: z.string().min(1).max(200).optional().describe('Text in the observation, reason or outcome'),
    limit: z.number().int().min(1).max(500).default(50),
  }),
  output: z.object({ decisions: z.array(decisionSchema) }),
  requires: READ,
  risk: 'read',
  handler: ({ kernel }, input) => ({
    decisions: kernel.services.agent.journal.query({ ...input, sinceIso: input.since ? parseSince(input.since) : undefined }),
  }),
});

export const agentExplain = defineOp({
  name: 'agent.explain',
  title: 'Explain a decision',
  description: 'Explains one decision of the agent in plain language: what it saw, what it considered, what it did and why, and how it turned out.',
  input: z.object({ id: z.string().min(1) }),
  output: z.object({ id: z.string(), text: z.string() }),
  requires: READ,
  risk: 'read',
  cli: { positional: ['id'] },
  handler: ({ kernel }, input) => {
    const d = kernel.services.agent.journal.get(input.id);
    if (!d) throw new OpError('NOT_FOUND', `No decision '${input.id}'. List them with 'fazt agent decisions'.`);
    return { id: d.id, text: explain(d) };
  },
});

export const agentPlaybooks = defineOp({
  name: 'agent.playbooks',
  title: 'Agent playbooks',
  description: 'Lists the playbooks the agent decides with, in the order it tries them: the incidents each handles, its action, the expected effect, the undo and how it verifies.',
  input: z.object({}),
  output: z.object({ playbooks: z.array(z.object({ name: z.string(), title: z.string(), action: z.string(), expected: z.string(), undo: z.string(), verify: z.string() })) }),
  requires: READ,
  risk: 'read',
  handler: () => ({ playbooks: PLAYBOOKS.map(({ name, title, action, expected, undo, verify }) => ({ name, title, action, expected, undo, verify })) }),
});

export const agentPreferences = defineOp({
  name: 'agent.preferences',
  title: 'Learned preferences',
  description: 'What the agent learned from the owner: approvals counted per kind of incident, subject and action; actions the owner let it do alone ("Do this yourself next time"); proposals quiet after a denial.',
  input: z.object({}),
  output: z.object({ preferences: z.array(preferenceSchema) }),
  requires: READ,
  risk: 'read',
  handler: ({ kernel }) => ({ preferences: kernel.services.agent.preferences.list() }),
});

export const agentPreferencesForget = defineOp({
  name: 'agent.preferences.forget',
  title: 'Forget preferences',
  description: 'Removes learned preferences: those matching kind, subject and op (all given fields), or every one when "all" is true. A forgotten promotion means the agent asks again.',
  input: z.object({
    kind: z.string().min(1).max(60).optional(),
    subject: z.string().min(1).max(300).optional(),
    op: z.string().min(1).max(100).optional(),
    all: z.boolean().optional().describe('Forget every preference'),
  }),
  output: z.object({ forgotten: z.number().int() }),
  requires: 'kernel:agent:write',
  risk: 'write',
  handler: ({ kernel }, { all, ...f }) => {
    if (!all && f.kind === undefined && f.subject === undefined && f.op === undefined) {
      throw new OpError('BAD_INPUT', 'Say what to forget: kind, subject and/or op, or all=true for everything.');
    }
    return { forgotten: kernel.services.agent.preferences.forget(all ? {} : f) };
  },
});
