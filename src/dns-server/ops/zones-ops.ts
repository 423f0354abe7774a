import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { zoneName } from '../names.js';
import { recordSchema, zoneField, zoneSummary } from './schemas.js';

export const dnsZonesList = defineOp({
  name: 'dns.zones.list',
  title: 'List hosted DNS zones',
  description: "Lists the zones fazt's built-in DNS server answers for, with each zone's serial and record count, and where the server listens (null when --dns-port is not set).",
  input: z.object({}),
  output: z.object({ zones: z.array(zoneSummary), listening: z.object({ host: z.string(), port: z.number().int() }).nullable() }),
  requires: 'kernel:dns:read',
  risk: 'read',
  idempotent: true,
  handler: ({ kernel }) => ({ zones: kernel.services.dnsServer.zones(), listening: kernel.services.dnsServer.listening() }),
});

export const dnsZonesCreate = defineOp({
  name: 'dns.zones.create',
  title: 'Host a DNS zone',
  description:
    'Starts answering authoritatively for a zone (like example.com) on the built-in DNS server, with an SOA and NS record at its apex. ' +
    'Point the domain at this server at the registrar for the world to see it. Add records with dns.records.set.',
  input: z.object({ zone: zoneField }),
  output: z.object({ zone: z.string(), serial: z.number().int(), records: z.array(recordSchema) }),
  requires: 'kernel:dns:write',
  risk: 'write',
  cli: { positional: ['zone'] },
  handler: ({ kernel }, input) => {
    const dns = kernel.services.dnsServer;
    dns.createZone(input.zone);
    const zone = zoneName(input.zone);
    return { zone, serial: dns.zones().find((z) => z.name === zone)!.serial, records: dns.records(zone) };
  },
});

export const dnsZonesDelete = defineOp({
  name: 'dns.zones.delete',
  title: 'Delete a hosted DNS zone',
  description: 'Stops answering for a zone and deletes all its records. Names in it stop resolving once caches expire; a model calling it needs the owner to approve.',
  input: z.object({ zone: zoneField }),
  output: z.object({ deleted: z.boolean(), zone: z.string() }),
  requires: 'kernel:dns:write',
  risk: 'destructive',
  describeHalt: (input, kernel) => {
    const z = kernel.services.dnsServer.zones().find((x) => x.name === input.zone.toLowerCase().replace(/\.$/, ''));
    return z ? `Delete the DNS zone '${z.name}' and its ${z.records} records; its names stop resolving.` : `Delete the DNS zone '${input.zone}'.`;
  },
  cli: { positional: ['zone'] },
  handler: ({ kernel }, input) => ({ deleted: kernel.services.dnsServer.deleteZone(input.zone), zone: zoneName(input.zone) }),
});
