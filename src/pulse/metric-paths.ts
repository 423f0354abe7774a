import type { Metrics, MetricValue } from './collectors/define.js';

/** Short names people and models use, mapped to collected paths. */
export const METRIC_ALIASES: Record<string, string> = {
  memory: 'host.memory.percent',
  'memory.used': 'host.memory.usedMb',
  'memory.total': 'host.memory.totalMb',
  'memory.percent': 'host.memory.percent',
  disk: 'host.disk.percent',
  'disk.used': 'host.disk.usedGb',
  'disk.free': 'host.disk.freeGb',
  'disk.percent': 'host.disk.percent',
  cpu: 'process.cpuPercent',
  load: 'host.load1',
  rss: 'process.rssMb',
  heap: 'process.heapUsedMb',
  'eventloop': 'process.eventLoopP99Ms',
  'event-loop': 'process.eventLoopP99Ms',
  requests: 'http.requests',
  traffic: 'http.perMinute',
  errors: 'http.errors5xx',
  'error-rate': 'http.errorRate',
  latency: 'http.p99',
  p99: 'http.p99',
  p50: 'http.p50',
  halts: 'safety.pendingHalts',
  denied: 'safety.deniedCalls',
  db: 'storage.totalMb',
  logs: 'storage.logsRows',
};

/** Every numeric leaf of a beat's metrics as `a.b.c` → value. */
export function flatten(metrics: Metrics, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  for (const [k, v] of Object.entries(metrics)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'number' && Number.isFinite(v)) out[path] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Metrics, path, out);
  }
  return out;
}

/**
 * Resolves what a caller typed to a collected path: an exact path, an alias, or
 * `apps.<slug>.<field>` / `http.<slug>.<field>` for the per-app sections.
 * Returns null when nothing matches.
 */
export function resolveMetric(name: string, known: Set<string>): string | null {
  const n = name.trim();
  if (known.has(n)) return n;
  const alias = METRIC_ALIASES[n.toLowerCase()];
  if (alias) return alias;
  // apps.<slug>.<field> and http.<slug>.<field>: the per-app sections, either collector.
  const m = /^(apps|http)\.([^.]+)(?:\.(.+))?$/.exec(n);
  if (m) {
    const field = m[3] ?? 'requests';
    const sections = m[1] === 'apps' ? ['apps', 'http'] : ['http', 'apps'];
    const fields = field === 'errors' ? ['errors', 'errors5xx'] : [field];
    for (const sec of sections) for (const f of fields) {
      const p = `${sec}.bySlug.${m[2]}.${f}`;
      if (known.has(p)) return p;
    }
  }
  return null;
}

/** Value at a dotted path, or null. */
export function valueAt(metrics: Metrics, path: string): number | null {
  let cur: MetricValue | undefined = metrics;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return null;
    cur = (cur as Record<string, MetricValue>)[part];
  }
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
}

/** The paths worth listing to a person: aliases first, then collected paths without per-app detail. */
export function listablePaths(known: Iterable<string>): string[] {
  const general = [...known].filter((p) => !p.includes('.bySlug.')).sort();
  const apps = new Set([...known].filter((p) => p.includes('.bySlug.')).map((p) => `apps.${p.split('.')[2]}.<field>`));
  return [...Object.keys(METRIC_ALIASES), ...general, ...apps];
}
