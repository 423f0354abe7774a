import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { nameField, recordInput, recordSchema, typeField, zoneField } from './schemas.js';

export const dnsRecordsList = defineOp({
  name: 'dns.records.list',
  title: 'List DNS records',
  description: "Lists every record of a hosted zone: name ('@' is the apex), type, value, TTL and MX priority. The SOA shows the zone's current serial.",
  input: z.object({ zone: zoneField }),
  output: z.object({ zone: z.string(), records: z.array(recordSchema) }),
  requires: 'kernel:dns:read',
  risk: 'read',
  idempotent: true,
  cli: { positional: ['zone'] },
  handler: ({ kernel }, input) => {
    const records = kernel.services.dnsServer.records(input.zone);
    return { zone: records[0]?.zone ?? input.zone, records };
  },
});

export const dnsRecordsSet = defineOp({
  name: 'dns.records.set',
  title: 'Set a DNS record',
  description:
    'Makes this value the only one of its type at a name (replacing any others), e.g. point www at an IPv4 address. ' +
    'Values are checked for their type. A CNAME cannot share its name with other records. Use dns.records.add to keep existing values.',
  input: recordInput,
  output: recordSchema,
  requires: 'kernel:dns:write',
  risk: 'write',
  idempotent: true,
  cli: { positional: ['zone', 'name', 'type', 'value'] },
  handler: ({ kernel }, { zone, ...rec }) => kernel.services.dnsServer.set(zone, rec),
});

export const dnsRecordsAdd = defineOp({
  name: 'dns.records.add',
  title: 'Add a DNS record',
  description: 'Adds a value to the records of its type at a name, keeping the others (several TXT or MX values, ACME challenge tokens). Adding a value that is already there changes nothing.',
  input: recordInput,
  output: recordSchema,
  requires: 'kernel:dns:write',
  risk: 'write',
  idempotent: true,
  cli: { positional: ['zone', 'name', 'type', 'value'] },
  handler: ({ kernel }, { zone, ...rec }) => kernel.services.dnsServer.add(zone, rec),
});

export const dnsRecordsRemove = defineOp({
  name: 'dns.records.remove',
  title: 'Remove DNS records',
  description:
    'Removes the records of a type at a name: the one with `value` when given, otherwise all of them. ' +
    'Removing one named value is routine (it can be added back as written); removing a whole set without naming its values needs the owner to approve.',
  input: z.object({ zone: zoneField, name: nameField, type: typeField, value: z.string().min(1).max(4096).optional().describe('Only the record with this value') }),
  output: z.object({ removed: z.number().int() }),
  requires: 'kernel:dns:write',
  risk: 'destructive',
  // The request itself holds everything needed to undo a removal by value; a whole set's values it does not.
  riskOf: (input) => (input.value === undefined ? 'destructive' : 'write'),
  describeHalt: (input) => `Remove every ${input.type.toUpperCase()} record at '${input.name}' in the zone '${input.zone}'.`,
  cli: { positional: ['zone', 'name', 'type', 'value'] },
  handler: ({ kernel }, { zone, ...sel }) => ({ removed: kernel.services.dnsServer.remove(zone, sel) }),
});
