import { op } from './api.js';

/** The ops this server has and this session may call (ops.list), loaded once at start. */
export const available = { ops: new Set(), list: [] };

export async function loadAvailable() {
  const r = await op('ops.list');
  available.list = r.ops;
  available.ops = new Set(r.ops.map((o) => o.name));
  return available;
}

export const has = (name) => available.ops.has(name);
