import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { fieldsAt, strictInput } from './strict-input.js';

const schema = strictInput(
  z.object({
    name: z.string().describe('Display name'),
    files: z.array(z.object({ path: z.string() })).optional(),
    options: z.object({ deep: z.object({ on: z.boolean() }).optional() }).default({}),
    doc: z.record(z.string(), z.unknown()),
    loose: z.looseObject({ a: z.number() }).optional(),
    either: z.union([z.object({ x: z.number() }), z.string()]).optional(),
  }),
);

test('objects we define refuse unknown keys, at any depth', () => {
  assert.equal(schema.safeParse({ name: 'a', doc: {}, extra: 1 }).success, false);
  assert.equal(schema.safeParse({ name: 'a', doc: {}, files: [{ path: 'x', mode: 1 }] }).success, false);
  assert.equal(schema.safeParse({ name: 'a', doc: {}, options: { deep: { on: true, off: false } } }).success, false);
  assert.equal(schema.safeParse({ name: 'a', doc: {}, either: { x: 1, y: 2 } }).success, false);
});

test('user data and deliberately open objects stay open; defaults and descriptions survive', () => {
  const ok = schema.safeParse({ name: 'a', doc: { any: { thing: 1 } }, loose: { a: 1, b: 2 }, files: [{ path: 'x' }] });
  assert.ok(ok.success, JSON.stringify(ok.error?.issues));
  assert.deepEqual(ok.data.options, {});
  const json = z.toJSONSchema(schema, { io: 'input' }) as { additionalProperties?: unknown; properties: Record<string, { description?: string }> };
  assert.equal(json.properties.name.description, 'Display name');
  assert.equal(json.additionalProperties, false);
});

test('fieldsAt names the fields of the object at a path', () => {
  assert.deepEqual(fieldsAt(schema, []), ['name', 'files', 'options', 'doc', 'loose', 'either']);
  assert.deepEqual(fieldsAt(schema, ['files', 0]), ['path']);
  assert.deepEqual(fieldsAt(schema, ['options', 'deep']), ['on']);
});
