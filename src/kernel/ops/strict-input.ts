import { z } from 'zod';

/*
 * Op inputs are strict: an unknown field is an error, never silently dropped, so
 * a typo or a guessed field (a model's `domain` on apps.create) cannot look like
 * success. Only objects whose shape we define become strict; user data
 * (z.record, z.unknown, z.looseObject) stays open.
 */

type Def = Record<string, unknown> & { type: string };
type Schema = z.ZodType & { _zod: { def: Def } };

/** Wrappers whose one inner schema is `innerType`. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch', 'success']);

/** The same schema with every plain object in it made strict (the instance itself when nothing changes). */
export function strictInput<T extends z.ZodType>(schema: T): T {
  return rebuild(schema as unknown as Schema) as unknown as T;
}

function rebuild(schema: Schema): Schema {
  const def = schema._zod.def;
  let changes: Record<string, unknown> | undefined;
  if (def.type === 'object') {
    const shape = def.shape as Record<string, Schema>;
    const next = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, rebuild(v)]));
    const same = Object.keys(shape).every((k) => next[k] === shape[k]);
    // catchall undefined is zod's default "strip"; anything else was chosen on purpose.
    if (def.catchall === undefined) changes = { shape: next, catchall: z.never() };
    else if (!same) changes = { shape: next };
  } else if (def.type === 'array') {
    changes = changed({ element: def.element });
  } else if (WRAPPERS.has(def.type)) {
    changes = changed({ innerType: def.innerType });
  } else if (def.type === 'union') {
    const options = (def.options as Schema[]).map(rebuild);
    if (options.some((o, i) => o !== (def.options as Schema[])[i])) changes = { options };
  } else if (def.type === 'pipe') {
    changes = changed({ in: def.in });
  } else if (def.type === 'intersection') {
    changes = changed({ left: def.left, right: def.right });
  }
  if (!changes) return schema;
  const copy = schema.clone(mergeDefs(def, changes) as never) as Schema;
  // Descriptions live in the registry under the old instance: carry them over.
  const meta = z.globalRegistry.get(schema);
  if (meta) z.globalRegistry.add(copy, meta);
  return copy;
}

/** Rebuilds the named child schemas; undefined when none of them changed. */
function changed(children: Record<string, unknown>): Record<string, unknown> | undefined {
  const next = Object.fromEntries(Object.entries(children).map(([k, v]) => [k, rebuild(v as Schema)]));
  return Object.keys(children).some((k) => next[k] !== children[k]) ? next : undefined;
}

/** Copies a def keeping getters (zod defines some lazily), then applies the changes. */
function mergeDefs(def: Def, changes: Record<string, unknown>): Def {
  return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(def), ...Object.getOwnPropertyDescriptors(changes) }) as Def;
}

/** The field names of the object schema at `path` in an input schema (for "valid fields: …" messages). */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: Schema | undefined = schema as unknown as Schema;
  const unwrap = (x: Schema | undefined): Schema | undefined => {
    while (x && (WRAPPERS.has(x._zod.def.type) || x._zod.def.type === 'pipe')) x = (x._zod.def.innerType ?? x._zod.def.in) as Schema;
    return x;
  };
  for (const key of path) {
    s = unwrap(s);
    if (!s) return [];
    const def = s._zod.def;
    if (def.type === 'object') s = (def.shape as Record<string, Schema>)[String(key)];
    else if (def.type === 'array') s = def.element as Schema;
    else return [];
  }
  s = unwrap(s);
  return s?._zod.def.type === 'object' ? Object.keys(s._zod.def.shape as object) : [];
}
