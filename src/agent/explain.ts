import type { Decision } from './journal.js';

const CHOICE: Record<string, string> = {
  act: 'I acted on my own',
  escalate: 'I asked the owner',
  report: 'I only reported it',
  reject: 'I rejected a proposal',
  suppressed: 'I stayed quiet',
  none: 'I did nothing',
};

/** One decision in plain language, from the journal row alone. */
export function explain(d: Decision): string {
  const shadow = d.choice.startsWith('would ');
  const choice = shadow ? d.choice.slice(6) : d.choice;
  const lines = [
    `On ${d.at} I saw ${d.issueKey}${d.beatId ? ` (beat ${d.beatId})` : ''}: ${d.observation}`,
    d.options.length ? `Options I considered: ${d.options.join('; ')}.` : 'I had no action to consider.',
    `${shadow ? 'In shadow mode I would have: ' + (CHOICE[choice] ?? choice).toLowerCase() : CHOICE[choice] ?? choice}${d.action ? ` (${d.action.op} ${JSON.stringify(d.action.input)})` : ''}, because ${d.why}.`,
    `Autonomy was ${d.level}${d.kind !== 'none' ? `; the decision came from ${d.kind === 'model' ? 'the model (checked by the same policy)' : `the ${d.kind} playbook`}` : ''}.`,
    `Outcome: ${d.outcome}${d.haltId ? ` (halt ${d.haltId})` : ''}.`,
  ];
  if (d.detectToActionMs !== null) lines.push(`From detection to ${choice === 'act' ? 'action' : 'answer'}: ${d.detectToActionMs} ms.`);
  if (d.verification) lines.push(`Verification: ${d.verification}.`);
  if (d.undo) lines.push(d.undone ? `I undid it: ${d.undo.description}.` : `Undo, if needed: ${d.undo.description} (${d.undo.op} ${JSON.stringify(d.undo.input)}).`);
  if (d.resolvedAt) lines.push(`The issue resolved at ${d.resolvedAt}.`);
  if (d.recurred) lines.push('The incident came back afterwards.');
  return lines.join('\n');
}
