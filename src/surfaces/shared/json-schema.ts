import { z } from 'zod';
import type { AnyOp } from '../../kernel/ops/define.js';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  [k: string]: unknown;
}

const cache = new WeakMap<AnyOp, { input: JsonSchema; output: JsonSchema }>();

/** JSON Schemas of an op's input and output, built once per op (surfaces list them often). */
export function opSchemas(op: AnyOp): { input: JsonSchema; output: JsonSchema } {
  let s = cache.get(op);
  if (!s) {
    const conv = (schema: z.ZodType, io: 'input' | 'output') => {
      const js = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
      delete js.$schema;
      return js;
    };
    s = { input: conv(op.input, 'input'), output: conv(op.output, 'output') };
    cache.set(op, s);
  }
  return s;
}

function typeOf(s: JsonSchema | undefined): string | undefined {
  if (!s) return undefined;
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  if (s.type) return s.type;
  const alt = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  return alt ? typeOf(alt.find((a) => a.type !== 'null')) : undefined;
}

/**
 * Turns string values (query parameters, CLI flags) into the types the schema
 * expects. Unparseable values pass through unchanged so validation names the field.
 */
export function coerceStrings(schema: JsonSchema, values: Record<string, string | string[] | boolean>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(values)) {
    const prop = schema.properties?.[key];
    out[key] = coerceOne(prop, raw);
  }
  return out;
}

function coerceOne(prop: JsonSchema | undefined, raw: string | string[] | boolean): unknown {
  const t = typeOf(prop);
  if (t === 'array') {
    const list = Array.isArray(raw) ? raw : [raw];
    return list.flatMap((v) => (typeof v === 'string' && v.startsWith('[') ? tryJson(v) : [coerceOne(prop?.items, v)]));
  }
  if (Array.isArray(raw)) raw = raw[raw.length - 1];
  if (typeof raw === 'boolean') return t === 'boolean' || !t ? raw : raw;
  if (t === 'number' || t === 'integer') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  if (t === 'boolean') return raw === 'true' || raw === '1' || raw === '' ? true : raw === 'false' || raw === '0' ? false : raw;
  if (t === 'object' || (!t && /^[[{]/.test(raw))) return tryJson(raw);
  return raw;
}

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
