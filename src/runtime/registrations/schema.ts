import { OpError } from '../../kernel/ops/errors.js';

/** The JSON Schema subset app tools use: what the shorthand produces, and what we validate. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  additionalProperties?: boolean | JsonSchema;
  [key: string]: unknown;
}

const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array'];
const MCP_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** An app tool's name as MCP clients will see it: dots become underscores and it must then match ^[a-zA-Z0-9_-]{1,64}$. */
export function checkToolName(name: string): string {
  const mapped = name.replace(/\./g, '_');
  if (!MCP_NAME.test(mapped)) {
    throw new OpError(
      'BAD_INPUT',
      `Invalid tool name '${name}': after mapping '.' to '_' it must be 1-64 characters of letters, digits, '_' or '-' (MCP clients reject other names).`,
      { tool: name },
    );
  }
  return mapped;
}

/**
 * Turns a tool's declared `input` into JSON Schema. Shorthand: `{ title: "string",
 * limit: "number?" }` (types string|number|integer|boolean|object|array, `?` =
 * optional, `string[]` = array of strings). A value that already looks like JSON
 * Schema (has `type: "object"` or `properties`) is checked and kept.
 */
export function toJsonSchema(input: unknown, where: string): JsonSchema {
  if (input === undefined || input === null) return { type: 'object', properties: {} };
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new OpError('BAD_INPUT', `${where}: input must be an object like { title: "string", limit: "number?" } or a JSON Schema object.`);
  }
  const obj = input as Record<string, unknown>;
  if (obj.type === 'object' || (typeof obj.properties === 'object' && obj.properties !== null)) {
    checkSchema(obj, where);
    return { ...obj, type: 'object' } as JsonSchema;
  }
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [field, spec] of Object.entries(obj)) {
    if (typeof spec === 'string') {
      const m = /^(\w+)(\[\])?(\?)?$/.exec(spec.trim());
      if (!m || !TYPES.includes(m[1])) {
        throw new OpError('BAD_INPUT', `${where}: field '${field}' has type '${spec}'; use one of ${TYPES.join(', ')}, optionally with [] and ?.`, { field });
      }
      properties[field] = m[2] ? { type: 'array', items: { type: m[1] } } : { type: m[1] };
      if (!m[3]) required.push(field);
    } else if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
      checkSchema(spec as Record<string, unknown>, `${where}, field '${field}'`);
      properties[field] = spec as JsonSchema;
      if ((spec as { optional?: unknown }).optional !== true) required.push(field);
    } else {
      throw new OpError('BAD_INPUT', `${where}: field '${field}' must be a type name like "string" or "number?", or a JSON Schema object.`, { field });
    }
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

function checkSchema(s: Record<string, unknown>, where: string): void {
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  for (const t of types) {
    if (typeof t !== 'string' || !(TYPES.includes(t) || t === 'null')) throw new OpError('BAD_INPUT', `${where}: unknown JSON Schema type ${JSON.stringify(t)}.`);
  }
  if (s.properties !== undefined) {
    if (!s.properties || typeof s.properties !== 'object' || Array.isArray(s.properties)) throw new OpError('BAD_INPUT', `${where}: 'properties' must be an object.`);
    for (const [k, v] of Object.entries(s.properties)) {
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new OpError('BAD_INPUT', `${where}: property '${k}' must be a schema object.`);
      checkSchema(v as Record<string, unknown>, `${where}, property '${k}'`);
    }
  }
  if (s.required !== undefined && (!Array.isArray(s.required) || s.required.some((r) => typeof r !== 'string'))) {
    throw new OpError('BAD_INPUT', `${where}: 'required' must be a list of field names.`);
  }
  if (s.enum !== undefined && !Array.isArray(s.enum)) throw new OpError('BAD_INPUT', `${where}: 'enum' must be a list.`);
  if (s.items !== undefined) {
    if (!s.items || typeof s.items !== 'object' || Array.isArray(s.items)) throw new OpError('BAD_INPUT', `${where}: 'items' must be a schema object.`);
    checkSchema(s.items as Record<string, unknown>, `${where}, items`);
  }
}

/** Validates `value` against the subset (type, required, properties, items, enum, additionalProperties: false). */
export function validate(schema: JsonSchema, value: unknown, path = ''): string[] {
  const errors: string[] = [];
  const name = path || 'args';
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(`${name} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length && !types.some((t) => isType(t, value))) {
    errors.push(`${name} must be ${types.join(' or ')}, got ${describe(value)}`);
    return errors;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (obj[r] === undefined) errors.push(`${join(path, r)} is required`);
    for (const [k, sub] of Object.entries(schema.properties ?? {})) if (obj[k] !== undefined) errors.push(...validate(sub, obj[k], join(path, k)));
    if (schema.additionalProperties === false) {
      for (const k of Object.keys(obj)) if (!schema.properties?.[k]) errors.push(`${join(path, k)} is not an accepted field`);
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...validate(schema.items!, v, `${name}[${i}]`)));
  return errors;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isType(t: string, v: unknown): boolean {
  switch (t) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'integer': return Number.isInteger(v);
    case 'boolean': return typeof v === 'boolean';
    case 'array': return Array.isArray(v);
    case 'object': return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'null': return v === null;
    default: return true;
  }
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}
