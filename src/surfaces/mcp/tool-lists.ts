import type { Tool } from '@modelcontextprotocol/server';
import type { Kernel } from '../../kernel/kernel.js';
import type { AnyOp, Caller } from '../../kernel/ops/define.js';
import { appRegistrations } from './app-registrations.js';
import { toolFor, visibleTo } from './op-tools.js';
import { inGroups } from './tool-names.js';

interface Entry {
  generation: number;
  tools: Tool[];
}

/** Distinct (capability set, tool filter) pairs kept; a server sees a handful of tokens. */
const MAX_ENTRIES = 256;
const caches = new WeakMap<Kernel, Map<string, Entry>>();

/**
 * The kernel endpoint's tools/list for a caller: the ops its capabilities can
 * satisfy, narrowed by `?tools=`, plus every app's tools for the owner. What a
 * caller sees depends only on its capabilities, so the list is built once per
 * capability set and tool filter, and rebuilt when apps' tools change.
 */
export function kernelToolList(kernel: Kernel, tools: Map<string, AnyOp>, caller: Caller, groups: string[] | undefined): Tool[] {
  let cache = caches.get(kernel);
  if (!cache) caches.set(kernel, (cache = new Map()));
  const withApps = !groups && caller.kind === 'owner';
  const apps = appRegistrations(kernel);
  const key = `${withApps ? 'apps' : '-'}\n${groups?.join(',') ?? '*'}\n${[...caller.caps].sort().join('\n')}`;
  const hit = cache.get(key);
  // Op tools never change while the process runs; only the owner's app tools follow the generation.
  if (hit && (!withApps || hit.generation === apps.generation)) return hit.tools;

  const list: Tool[] = [];
  for (const op of tools.values()) if (visibleTo(op, caller) && inGroups(op.name, groups)) list.push(toolFor(op));
  if (withApps) list.push(...apps.ownerTools(new Set(tools.keys())));
  if (!hit && cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { generation: apps.generation, tools: list });
  return list;
}
