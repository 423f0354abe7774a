import type { DataScope } from '../data/api.js';
import type { Kernel } from '../kernel/kernel.js';
import type { LogLevel } from '../logs/api.js';
import { HostBytes, type HostCall } from './sandbox/slot.js';

export interface AppIdentity {
  id: string;
  slug: string;
}

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);
const TEXT_MIME = /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded)|image\/svg)/;

function str(v: unknown, what: string): string {
  if (typeof v !== 'string' || !v) throw new TypeError(`${what} must be a non-empty string`);
  return v;
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * The host side of `fazt.*` for one app. The scope is built here from the app
 * this sandbox belongs to and the invocation's user; nothing the JS passes can
 * name another app, so one app can never reach another's data.
 */
export function hostCallsFor(kernel: Kernel, app: AppIdentity): HostCall {
  return (name, args, bytes, inv) => {
    const dot = name.indexOf('.');
    const area = name.slice(0, dot);
    if (name === 'user.id') return inv.userId;
    if (area === 'app' || area === 'user') {
      let scope: DataScope = { appId: app.id };
      if (area === 'user') {
        if (!inv.userId) throw new Error('no signed-in user: fazt.app.user.* needs a request from a signed-in user');
        scope = { appId: app.id, userId: inv.userId };
      }
      return storage(kernel, scope, name.slice(dot + 1), args, bytes);
    }
    switch (name) {
      case 'log': {
        const level = (LEVELS.has(String(args[0])) ? args[0] : 'info') as LogLevel;
        const fields = args[2] && typeof args[2] === 'object' && !Array.isArray(args[2]) ? (args[2] as Record<string, unknown>) : undefined;
        kernel.services.logs.appLog({ appId: app.id, level, message: String(args[1] ?? ''), fields, requestId: inv.requestId });
        return undefined;
      }
      case 'ai.complete':
        return kernel.services.ai.apps.complete(app, args[0], inv);
      case 'ai.embed':
        return kernel.services.ai.apps.embed(app, args[0], inv);
      case 'events.emit': {
        const e = kernel.services.eventStore.emitFrom({ kind: 'app', appId: app.id, slug: app.slug }, str(args[0], 'event type'), args[1] ?? null, {
          correlationId: inv.requestId,
        });
        return { id: e.id, type: e.type, timestamp: e.timestamp };
      }
      default:
        throw new Error(`unknown fazt call '${name}'`);
    }
  };
}

function storage(kernel: Kernel, scope: DataScope, op: string, args: unknown[], bytes: Buffer | undefined): unknown {
  const { kv, ds, blobs } = kernel.services;
  switch (op) {
    case 'kv.get':
      return kv.get(scope, str(args[0], 'key')) ?? null;
    case 'kv.set':
      return kv.set(scope, str(args[0], 'key'), args[1], num(args[2])), undefined;
    case 'kv.delete':
      return kv.delete(scope, str(args[0], 'key'));
    case 'kv.list':
      return kv.list(scope, typeof args[0] === 'string' ? args[0] : undefined, num(args[1]));
    case 'ds.insert':
      return ds.insert(scope, str(args[0], 'collection'), obj(args[1], 'document'));
    case 'ds.find':
      return ds.find(scope, str(args[0], 'collection'), obj(args[1], 'query'), obj(args[2], 'options'));
    case 'ds.findOne':
      return ds.findOne(scope, str(args[0], 'collection'), obj(args[1], 'query'));
    case 'ds.update':
      return ds.update(scope, str(args[0], 'collection'), obj(args[1], 'query'), obj(args[2], 'changes'));
    case 'ds.delete':
      return ds.delete(scope, str(args[0], 'collection'), obj(args[1], 'query'));
    case 'ds.count':
      return ds.count(scope, str(args[0], 'collection'), obj(args[1], 'query'));
    case 's3.put': {
      const data = bytes ?? Buffer.from(String(args[1] ?? ''), 'utf8');
      return blobs.put(scope, str(args[0], 'path'), data, typeof args[2] === 'string' ? args[2] : undefined);
    }
    case 's3.get': {
      const b = blobs.get(scope, str(args[0], 'path'));
      if (!b) return null;
      const { data, ...info } = b;
      // Text comes back as a string, anything else as a Uint8Array.
      return TEXT_MIME.test(info.mime) ? { ...info, data: data.toString('utf8') } : new HostBytes(info, data);
    }
    case 's3.delete':
      return blobs.delete(scope, str(args[0], 'path'));
    case 's3.list':
      return blobs.list(scope, typeof args[0] === 'string' ? args[0] : undefined, num(args[1]));
    default:
      throw new Error(`unknown storage call '${op}'`);
  }
}
