import { z } from 'zod';
import { RECORD_TYPES } from '../types.js';

export const zoneField = z.string().min(1).max(253).describe('Zone name, like example.com');
export const nameField = z.string().min(0).max(253).describe("Record name relative to the zone: '@' for the apex, 'www', '_acme-challenge'");
export const typeField = z.string().min(1).max(10).describe(`Record type: ${RECORD_TYPES.join(', ')}`);

export const recordSchema = z.object({
  id: z.string(),
  zone: z.string(),
  name: z.string(),
  type: z.enum(RECORD_TYPES),
  value: z.string(),
  ttl: z.number().int(),
  priority: z.number().int().optional(),
});

export const recordInput = z.object({
  zone: zoneField,
  name: nameField,
  type: typeField,
  value: z
    .string()
    .min(1)
    .max(4096)
    .describe('A: IPv4; AAAA: IPv6; CNAME/NS: host; MX: "10 mail.example.com"; TXT: text; CAA: \'0 issue "letsencrypt.org"\'; SOA: "mname rname serial refresh retry expire minimum"'),
  ttl: z.number().int().min(0).max(604_800).optional().describe('Seconds resolvers may cache it (default 300)'),
  priority: z.number().int().min(0).max(65535).optional().describe('MX only: lower is preferred'),
});

export const zoneSummary = z.object({ name: z.string(), serial: z.number().int(), records: z.number().int() });
