import type { Kernel } from '../kernel/kernel.js';
import { callRisk, type Risk } from '../kernel/ops/define.js';
import type { Autonomy, Personality } from './config.js';
import type { Proposal } from './playbooks/types.js';
import { PROMOTE_AFTER, type Preference } from './preferences.js';

export type Choice = 'act' | 'escalate' | 'report' | 'suppressed' | 'reject';

export interface Judgement {
  choice: Choice;
  why: string;
  risk?: Risk;
  /** The owner has approved this often enough to be offered "Do this yourself next time". */
  offerPromotion?: boolean;
}

export interface PolicyInput {
  level: Autonomy;
  personality: Personality;
  preference?: Preference;
  suppressed: boolean;
  /** Why the churn budget says stop, or null while there is room. */
  overBudget: string | null;
}

/**
 * The one judge of every proposal, from a playbook or the model. It only decides
 * which *write* calls the agent makes alone: destructive and costly calls are
 * escalated here and, whatever this says, halted by the pipeline for the agent's caller.
 */
export function judge(kernel: Kernel, p: Proposal, x: PolicyInput): Judgement {
  const op = kernel.registry.get(p.op);
  if (!op) return { choice: 'reject', why: `${p.op} is not available` };
  const parsed = op.input.safeParse(p.input);
  if (!parsed.success) return { choice: 'reject', why: `malformed input for ${p.op}: ${parsed.error.issues.map((i: { path: PropertyKey[]; message: string }) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}` };
  if (op.humanOnly) return { choice: 'reject', why: `${p.op} can only be done by the owner in person` };
  const risk = callRisk(op, parsed.data, kernel);
  if (x.level === 'low') return { choice: 'report', why: 'autonomy is low: I observe and tell, never act', risk };
  if (x.suppressed) return { choice: 'suppressed', why: `the owner denied ${p.op} for this recently; not asking again yet`, risk };
  const promotion = (x.preference?.approvals ?? 0) >= PROMOTE_AFTER && !x.preference?.promoted;
  if (risk === 'destructive' || risk === 'costly') {
    return { choice: 'escalate', why: `${p.op} is ${risk === 'costly' ? 'costly (spends money)' : 'destructive (loses data or service)'}: only the owner may approve it`, risk };
  }
  let act: Judgement;
  if (risk === 'read') act = { choice: 'act', why: 'a read changes nothing', risk };
  else if (x.preference?.promoted) act = { choice: 'act', why: `the owner told me to do this myself (after ${PROMOTE_AFTER} approvals)`, risk };
  else if (x.level === 'medium') {
    if (!p.allowListed) return { choice: 'escalate', why: `${p.op} is not on the ${p.source} playbook's allow-list for medium autonomy`, risk, offerPromotion: promotion };
    if (x.personality === 'cautious' && !p.certRenewal) return { choice: 'escalate', why: 'cautious: at medium I only renew certificates alone', risk, offerPromotion: promotion };
    act = { choice: 'act', why: `a safe, allow-listed write${p.undo ? ` with a known undo (${p.undo.description})` : ''}, and autonomy is medium`, risk };
  } else {
    if (!p.allowListed && !p.undo && !op.idempotent) return { choice: 'escalate', why: `${p.op} has no known undo: asking even at high autonomy`, risk, offerPromotion: promotion };
    act = { choice: 'act', why: 'a reversible write, and autonomy is high', risk };
  }
  if (x.overBudget) return { choice: 'escalate', why: x.overBudget, risk, offerPromotion: promotion };
  return act;
}
