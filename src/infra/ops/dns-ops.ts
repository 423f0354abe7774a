import { z } from 'zod';
import type { Kernel } from '../../kernel/kernel.js';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { providersOf } from '../catalogue.js';
import { DEFAULT_RESOLVERS, checkPropagation } from '../dns/propagation.js';
import { RECORD_TYPES } from '../dns/types.js';
import { validRecord, validRecordName, validZoneName } from '../dns/validate.js';
import { READ, WRITE } from './common.js';

const dnsProvider = z.enum(providersOf('dns') as [string, ...string[]]);
const zone = z.string().min(3).max(253).describe('The zone (domain) such as example.com');
const recordSchema = z.object({ id: z.string(), name: z.string(), type: z.string(), value: z.string(), ttl: z.number().nullable(), priority: z.number().optional(), proxied: z.boolean().optional() });
const recordInput = z.object({
  name: z.string().min(1).max(253).describe("Relative to the zone: '@' for the apex, 'www', '_acme-challenge.photos'"),
  type: z.string().describe(`One of ${RECORD_TYPES.join(', ')}`),
  value: z.string().min(1).max(4000).describe('A: IPv4; AAAA: IPv6; CNAME/NS/MX: host name; TXT: text; CAA: 0 issue "letsencrypt.org"'),
  ttl: z.number().int().optional().describe('Seconds, 30-604800 (default 300)'),
  priority: z.number().int().optional().describe('MX only'),
  proxied: z.boolean().optional().describe('Cloudflare only: proxy A/AAAA/CNAME through Cloudflare'),
});

/** The provider for a zone: the one named, else the one known to serve it. */
async function providerFor(kernel: Kernel, zoneName: string, named: string | undefined, signal?: AbortSignal): Promise<string> {
  if (named) return named;
  return (await kernel.services.infra.dnsFor(zoneName, signal)).provider;
}

function checkProxied(provider: string, rec: { proxied?: boolean; type: string }): void {
  if (rec.proxied !== undefined && provider !== 'cloudflare') throw new OpError('BAD_INPUT', `proxied is a Cloudflare setting; ${provider} has no proxy.`);
  if (rec.proxied && !['A', 'AAAA', 'CNAME'].includes(rec.type.toUpperCase())) throw new OpError('BAD_INPUT', 'Only A, AAAA and CNAME records can be proxied.');
}

export const infraDnsZones = defineOp({
  name: 'infra.dns.zones',
  title: 'List DNS zones',
  description: 'Zones at every configured DNS provider (and the built-in DNS server when it runs).',
  input: z.object({ provider: dnsProvider.optional() }),
  output: z.object({ zones: z.array(z.object({ provider: z.string(), id: z.string(), name: z.string(), records: z.number().nullable() })), errors: z.array(z.object({ provider: z.string(), error: z.string() })) }),
  requires: READ,
  risk: 'read',
  openWorld: true,
  handler: async ({ kernel, signal }, input) => {
    const infra = kernel.services.infra;
    const zones: { provider: string; id: string; name: string; records: number | null }[] = [];
    const errors: { provider: string; error: string }[] = [];
    for (const p of input.provider ? [input.provider] : infra.usable('dns')) {
      try {
        for (const z of await infra.dns(p, signal).zones()) {
          infra.rememberZone(z.name, p);
          zones.push({ provider: p, ...z });
        }
      } catch (err) {
        if (input.provider) throw err;
        errors.push({ provider: p, error: (err as Error).message });
      }
    }
    return { zones, errors };
  },
});

export const infraDnsRecords = defineOp({
  name: 'infra.dns.records',
  title: 'List DNS records',
  description: "The records of one zone, names relative to it ('@' = apex).",
  input: z.object({ zone, provider: dnsProvider.optional() }),
  output: z.object({ zone: z.string(), provider: z.string(), records: z.array(recordSchema) }),
  requires: READ,
  risk: 'read',
  openWorld: true,
  cli: { command: ['infra', 'dns', 'records'], positional: ['zone'] },
  handler: async ({ kernel, signal }, input) => {
    const z = validZoneName(input.zone);
    const provider = await providerFor(kernel, z, input.provider, signal);
    return { zone: z, provider, records: await kernel.services.infra.dns(provider, signal).records(z) };
  },
});

export const infraDnsSet = defineOp({
  name: 'infra.dns.set',
  title: 'Set a DNS record',
  description: "Creates or replaces the record (name, type) in a zone with this one value: an upsert. '@' is the apex. The value is checked against its type (A is IPv4, MX needs priority, ...).",
  input: recordInput.extend({ zone, provider: dnsProvider.optional() }),
  output: z.object({ zone: z.string(), provider: z.string(), record: recordSchema }),
  requires: WRITE,
  risk: 'write',
  openWorld: true,
  handler: async ({ kernel, signal }, input) => {
    const z = validZoneName(input.zone);
    const rec = validRecord(input);
    const provider = await providerFor(kernel, z, input.provider, signal);
    checkProxied(provider, input);
    const record = await kernel.services.infra.dns(provider, signal).set(z, { ...rec, ...(input.proxied !== undefined ? { proxied: input.proxied } : {}) });
    kernel.services.infra.rememberZone(z, provider);
    return { zone: z, provider, record };
  },
});

export const infraDnsSetMany = defineOp({
  name: 'infra.dns.set-many',
  title: 'Set several DNS records',
  description: 'Sets several records in one zone (each an upsert of its name and type). Every record is checked before any is sent, so one bad value changes nothing.',
  input: z.object({ zone, provider: dnsProvider.optional(), records: z.array(recordInput).min(1).max(100) }),
  output: z.object({ zone: z.string(), provider: z.string(), records: z.array(recordSchema) }),
  requires: WRITE,
  risk: 'write',
  openWorld: true,
  handler: async ({ kernel, signal, progress }, input) => {
    const z = validZoneName(input.zone);
    const provider = await providerFor(kernel, z, input.provider, signal);
    const valid = input.records.map((r, i) => {
      try {
        checkProxied(provider, r);
        return { ...validRecord(r), ...(r.proxied !== undefined ? { proxied: r.proxied } : {}) };
      } catch (err) {
        throw new OpError('BAD_INPUT', `records[${i}]: ${(err as Error).message} Nothing was changed.`, { index: i });
      }
    });
    const dns = kernel.services.infra.dns(provider, signal);
    const out = [];
    for (const [i, r] of valid.entries()) {
      progress(i, valid.length, `${r.type} ${r.name}`);
      out.push(await dns.set(z, r));
    }
    return { zone: z, provider, records: out };
  },
});

export const infraDnsDelete = defineOp({
  name: 'infra.dns.delete',
  title: 'Delete DNS records',
  description: 'Deletes the records (name, type) in a zone, or only the one with value. Halts for approval.',
  input: z.object({ zone, name: z.string().min(1).max(253), type: z.string(), value: z.string().optional(), provider: dnsProvider.optional() }),
  output: z.object({ zone: z.string(), provider: z.string(), deleted: z.number() }),
  requires: WRITE,
  risk: 'destructive',
  openWorld: true,
  describeHalt: (i) => `Delete DNS ${i.type.toUpperCase()} record${i.value ? ` '${i.value}'` : 's'} at ${i.name === '@' ? i.zone : `${i.name}.${i.zone}`}.`,
  handler: async ({ kernel, signal }, input) => {
    const z = validZoneName(input.zone);
    const name = validRecordName(input.name);
    const type = input.type.toUpperCase();
    if (!(RECORD_TYPES as readonly string[]).includes(type)) throw new OpError('BAD_INPUT', `DNS type '${input.type}' is not supported; valid: ${RECORD_TYPES.join(', ')}.`);
    const provider = await providerFor(kernel, z, input.provider, signal);
    const deleted = await kernel.services.infra.dns(provider, signal).remove(z, { name, type, ...(input.value !== undefined ? { value: input.value } : {}) });
    return { zone: z, provider, deleted };
  },
});

export const RESOLVERS_KEY = 'infra.dns.resolvers';

export const infraDnsCheckPropagation = defineOp({
  name: 'infra.dns.check-propagation',
  title: 'Check DNS propagation',
  description: `Asks several public resolvers (default ${DEFAULT_RESOLVERS.join(', ')}; the setting ${RESOLVERS_KEY} or resolvers changes them) for a name and reports which ones answer the expected value.`,
  input: z.object({
    name: z.string().min(1).max(253).describe('Full name, e.g. photos.example.com'),
    type: z.string().default('A'),
    expected: z.string().min(1).max(4000).describe('MX as "10 mail.example.com"'),
    resolvers: z.array(z.string().regex(/^[0-9a-f.:[\]]+$/i, 'an IP address, optionally :port')).min(1).max(10).optional(),
  }),
  output: z.object({
    name: z.string(), type: z.string(), expected: z.string(), agreeing: z.number(), total: z.number(), propagated: z.boolean(),
    resolvers: z.array(z.object({ resolver: z.string(), answers: z.array(z.string()), agrees: z.boolean(), error: z.string().optional() })),
  }),
  requires: READ,
  risk: 'read',
  openWorld: true,
  handler: async ({ kernel }, input) => {
    const resolvers = input.resolvers ?? kernel.settings.get<string[]>(RESOLVERS_KEY, DEFAULT_RESOLVERS);
    return checkPropagation(input.name.replace(/\.$/, ''), input.type.toUpperCase(), input.expected, resolvers);
  },
});
