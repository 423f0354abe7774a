import { SEVERITY_RANK, type Issue } from './analysis/types.js';

export interface IssueChanges {
  /** New issues, or ones whose severity went up. */
  raised: { issue: Issue; previous: Issue['severity'] | null }[];
  resolved: Issue[];
}

/** Compares the issues of two consecutive beats by their stable keys. */
export function diffIssues(before: Issue[], after: Issue[]): IssueChanges {
  const prev = new Map(before.map((i) => [i.key, i]));
  const next = new Map(after.map((i) => [i.key, i]));
  const raised: IssueChanges['raised'] = [];
  for (const i of after) {
    const p = prev.get(i.key);
    if (!p) raised.push({ issue: i, previous: null });
    else if (SEVERITY_RANK[i.severity] > SEVERITY_RANK[p.severity]) raised.push({ issue: i, previous: p.severity });
  }
  const resolved = before.filter((i) => !next.has(i.key));
  return { raised, resolved };
}
