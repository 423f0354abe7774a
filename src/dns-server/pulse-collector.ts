import { defineCollector } from '../pulse/collectors/define.js';

interface Last {
  at: number;
  queries: number;
  errors: number;
  malformed: number;
}

/** Queries per second and errors since the previous beat, and whether the server listens. */
export const dnsServerCollector = defineCollector({
  name: 'dnsServer',
  collect({ kernel, now, state }) {
    const dns = kernel.services.dnsServer;
    const s = dns.stats;
    const last = (state.last as Last | undefined) ?? { at: kernel.startedAt, queries: 0, errors: 0, malformed: 0 };
    const seconds = Math.max((now - last.at) / 1000, 0.001);
    state.last = { at: now, queries: s.queries, errors: s.errors, malformed: s.malformed } satisfies Last;
    const where = dns.listening();
    return {
      listening: where ? `${where.host}:${where.port}` : null,
      zones: dns.zones().length,
      queriesPerSecond: Math.round(((s.queries - last.queries) / seconds) * 100) / 100,
      queries: s.queries - last.queries,
      errors: s.errors - last.errors,
      malformed: s.malformed - last.malformed,
      truncatedTotal: s.truncated,
      rcodesTotal: { ...s.rcodes },
    };
  },
});
