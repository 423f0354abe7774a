/** Words in a question that point at metrics, mapped to collected paths. */
const METRIC_WORDS: [RegExp, string, string][] = [
  [/\b(memory|ram|oom)\b/, 'host.memory.percent', 'memory %'],
  [/\bcpu|processor\b/, 'process.cpuPercent', 'CPU %'],
  [/\b(disk|space|storage|full)\b/, 'host.disk.percent', 'disk %'],
  [/\b(latency|slow|p99|response time|fast)\b/, 'http.p99', 'p99 ms'],
  [/\b(errors?|5xx|fail\w*|crash\w*|broken)\b/, 'http.errorRate', 'error rate %'],
  [/\b(traffic|requests?|visitors?|hits|busy)\b/, 'http.requests', 'requests'],
  [/\bload\b/, 'host.load1', 'load'],
  [/\b(halts?|approvals?|pending)\b/, 'safety.pendingHalts', 'pending halts'],
  [/\b(denied|refused|attack\w*|security|prob\w+)\b/, 'safety.deniedCalls', 'denied calls'],
  [/\b(certs?|certificates?|ssl|tls)\b/, 'certs.minDaysLeft', 'cert days left'],
  [/\b(event.?loop|blocked|lag)\b/, 'process.eventLoopP99Ms', 'event-loop p99 ms'],
  [/\b(logs?)\b/, 'storage.logsRows', 'log rows'],
  [/\b(database|db|sqlite)\b/, 'storage.totalMb', 'data.db MB'],
];

export interface MetricMention {
  path: string;
  label: string;
}

export function mentionedMetrics(question: string): MetricMention[] {
  const q = question.toLowerCase();
  const out: MetricMention[] = [];
  for (const [re, path, label] of METRIC_WORDS) if (re.test(q) && !out.some((m) => m.path === path)) out.push({ path, label });
  return out;
}

/** App slugs (or display names) the question names, matched as whole words. */
export function mentionedApps(question: string, apps: { slug: string; name: string }[]): string[] {
  const q = question.toLowerCase();
  const found: string[] = [];
  for (const a of apps) {
    const words = [a.slug, a.name.toLowerCase()].filter((w) => w.length > 1);
    if (words.some((w) => new RegExp(`(^|[^a-z0-9-])${escape(w)}($|[^a-z0-9-])`).test(q))) found.push(a.slug);
  }
  return found;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
