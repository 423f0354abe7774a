import { Resolver } from 'node:dns/promises';
import { OpError } from '../../kernel/ops/errors.js';
import { bareHost } from './names.js';

export const DEFAULT_RESOLVERS = ['1.1.1.1', '8.8.8.8', '9.9.9.9'];

export interface ResolverAnswer {
  resolver: string;
  answers: string[];
  agrees: boolean;
  error?: string;
}

async function lookup(r: Resolver, name: string, type: string): Promise<string[]> {
  switch (type) {
    case 'A':
      return r.resolve4(name);
    case 'AAAA':
      return r.resolve6(name);
    case 'CNAME':
      return (await r.resolveCname(name)).map(bareHost);
    case 'NS':
      return (await r.resolveNs(name)).map(bareHost);
    case 'MX':
      return (await r.resolveMx(name)).map((m) => `${m.priority} ${bareHost(m.exchange)}`);
    case 'TXT':
      return (await r.resolveTxt(name)).map((chunks) => chunks.join(''));
    case 'CAA':
      return (await r.resolveCaa(name)).map((c) => {
        const tag = c.issue !== undefined ? 'issue' : c.issuewild !== undefined ? 'issuewild' : 'iodef';
        return `${c.critical} ${tag} "${c.issue ?? c.issuewild ?? c.iodef}"`;
      });
    default:
      throw new OpError('BAD_INPUT', `Cannot check propagation of ${type} records; valid: A, AAAA, CNAME, NS, MX, TXT, CAA.`);
  }
}

function norm(type: string, v: string): string {
  return type === 'TXT' || type === 'CAA' ? v : bareHost(v);
}

/** Asks each resolver for the name and reports which ones give the expected value. */
export async function checkPropagation(name: string, type: string, expected: string, resolvers: string[], timeoutMs = 3000): Promise<{ name: string; type: string; expected: string; resolvers: ResolverAnswer[]; agreeing: number; total: number; propagated: boolean }> {
  const want = norm(type, expected);
  const results = await Promise.all(
    resolvers.map(async (server): Promise<ResolverAnswer> => {
      const r = new Resolver({ timeout: timeoutMs, tries: 1 });
      try {
        r.setServers([server]);
      } catch (err) {
        return { resolver: server, answers: [], agrees: false, error: `not a resolver address: ${(err as Error).message}` };
      }
      try {
        const answers = (await lookup(r, name, type)).map((a) => norm(type, a));
        return { resolver: server, answers, agrees: answers.includes(want) };
      } catch (err) {
        if (err instanceof OpError) throw err;
        return { resolver: server, answers: [], agrees: false, error: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
      }
    }),
  );
  const agreeing = results.filter((r) => r.agrees).length;
  return { name, type, expected, resolvers: results, agreeing, total: results.length, propagated: agreeing === results.length && results.length > 0 };
}
