/**
 * A model that words pulse.ask answers from the rule-based context. None is wired
 * yet; when one is, its calls (and only those) are rate-limited per caller, since
 * they cost money and time while the rule-based answer costs neither.
 */
export interface AskModel {
  readonly name: string;
  answer(q: { question: string; context: string; signal?: AbortSignal }): Promise<string>;
}
