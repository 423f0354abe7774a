import { z } from 'zod';
import { defineOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';
import { valueInputBytes } from '../limits.js';
import { appField, parseTtl, READ_CAPS, scopeFor, userField, WRITE_CAPS } from './common.js';

const keyField = z.string().min(1).max(512).describe('The key (any text up to 512 characters)');

export const kvGet = defineOp({
  name: 'storage.kv.get',
  title: 'Get a kv value',
  description:
    "Reads one key from an app's key-value store (what the app's code stores with fazt.app.kv.set). Returns found=false when the key is missing or expired.",
  input: z.object({ app: appField, key: keyField, user: userField }),
  output: z.object({ key: z.string(), found: z.boolean(), value: z.unknown(), expiresAt: z.string().nullable() }),
  requires: READ_CAPS,
  risk: 'read',
  idempotent: true,
  cli: { command: ['storage', 'kv', 'get'], positional: ['app', 'key'] },
  handler: ({ kernel }, input) => {
    const entry = kernel.services.storage.kv.getEntry(scopeFor(kernel, input), input.key);
    return { key: input.key, found: entry !== null, value: entry?.value ?? null, expiresAt: entry?.expiresAt ?? null };
  },
});

export const kvSet = defineOp({
  name: 'storage.kv.set',
  title: 'Set a kv value',
  description:
    "Stores a JSON value under a key in an app's key-value store, replacing any previous value. Optional ttl makes it expire (e.g. 30s, 1h, 7d, or milliseconds). Values are limited to 1 MB of JSON by default.",
  input: z.object({
    app: appField,
    key: keyField,
    value: z.unknown().describe('Any JSON value: string, number, boolean, null, array or object'),
    ttl: z.union([z.number().positive(), z.string()]).optional().describe('Expire after this long: 30s, 1h, 7d, or milliseconds'),
    user: userField,
  }),
  output: z.object({ key: z.string(), expiresAt: z.string().nullable() }),
  requires: WRITE_CAPS,
  risk: 'write',
  idempotent: true,
  maxInputBytes: valueInputBytes,
  cli: { command: ['storage', 'kv', 'set'], positional: ['app', 'key', 'value'] },
  handler: ({ kernel }, input) => {
    if (input.value === undefined) {
      throw new OpError('BAD_INPUT', 'value is required (send null to store null).', { fields: [{ path: 'value', message: 'required' }] });
    }
    const ttl = parseTtl(input.ttl);
    kernel.services.storage.kv.set(scopeFor(kernel, input), input.key, input.value, ttl);
    return { key: input.key, expiresAt: ttl === undefined ? null : new Date(Date.now() + ttl).toISOString() };
  },
});

export const kvDelete = defineOp({
  name: 'storage.kv.delete',
  title: 'Delete a kv key',
  description: "Deletes one key from an app's key-value store. Returns deleted=false when the key did not exist.",
  input: z.object({ app: appField, key: keyField, user: userField }),
  output: z.object({ key: z.string(), deleted: z.boolean() }),
  requires: WRITE_CAPS,
  risk: 'write',
  idempotent: true,
  cli: { command: ['storage', 'kv', 'delete'], positional: ['app', 'key'] },
  handler: ({ kernel }, input) => ({ key: input.key, deleted: kernel.services.storage.kv.delete(scopeFor(kernel, input), input.key) }),
});

export const kvList = defineOp({
  name: 'storage.kv.list',
  title: 'List kv keys',
  description:
    "Lists keys of an app's key-value store in key order, with their values and expiry, optionally only those starting with a prefix (matched literally: % and _ are ordinary characters).",
  input: z.object({
    app: appField,
    prefix: z.string().max(512).default('').describe('Only keys starting with this text'),
    limit: z.number().int().min(1).max(1000).default(100).describe('At most this many entries (1-1000)'),
    user: userField,
  }),
  output: z.object({ entries: z.array(z.object({ key: z.string(), value: z.unknown(), expiresAt: z.string().nullable() })) }),
  requires: READ_CAPS,
  risk: 'read',
  idempotent: true,
  cli: { command: ['storage', 'kv', 'list'], positional: ['app', 'prefix'] },
  handler: ({ kernel }, input) => ({ entries: kernel.services.storage.kv.list(scopeFor(kernel, input), input.prefix, input.limit) }),
});

export const kvOps = [kvGet, kvSet, kvDelete, kvList];
