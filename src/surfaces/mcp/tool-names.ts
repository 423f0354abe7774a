import type { AnyOp } from '../../kernel/ops/define.js';
import { OpError } from '../../kernel/ops/errors.js';

/** What MCP clients (Claude, OpenAI, Anthropic API) accept; one bad name hides the whole server. */
export const TOOL_NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/;

/** `apps.list` → `apps_list`: dots are refused by most clients. */
export function toolNameFor(opName: string): string {
  return opName.replace(/\./g, '_');
}

/** Names the likely intended tool: a declared dotted name (`posts.create`) is listed as `posts_create`. */
export function unknownToolMessage(name: string, appSlug: string, available: string[]): string {
  const mapped = toolNameFor(name);
  if (mapped !== name && available.includes(mapped)) return `Unknown tool '${name}' on app '${appSlug}'; did you mean '${mapped}'?`;
  return `Unknown tool '${name}' on app '${appSlug}'. Its tools: ${available.join(', ') || 'none'}.`;
}

/** Fails loudly at start-up when an op or app tool cannot be exposed under a valid name. */
export function assertToolName(name: string, origin: string): string {
  if (!TOOL_NAME_RE.test(name)) throw new Error(`MCP tool name '${name}' (from ${origin}) does not match ${TOOL_NAME_RE}`);
  return name;
}

/** Builds the tool name → op map once and checks every name, including collisions. */
export function toolNameMap(ops: AnyOp[]): Map<string, AnyOp> {
  const map = new Map<string, AnyOp>();
  for (const op of ops) {
    const name = assertToolName(toolNameFor(op.name), `op ${op.name}`);
    const prev = map.get(name);
    if (prev) throw new Error(`MCP tool name '${name}' is produced by both ${prev.name} and ${op.name}`);
    map.set(name, op);
  }
  return map;
}

/** `?tools=apps,deploy` → ['apps', 'deploy']: a tool set keeps ops whose name starts with a group. */
export function parseToolGroups(raw: string | null | undefined): string[] | undefined {
  if (!raw) return undefined;
  const groups = raw.split(',').map((s) => s.trim()).filter(Boolean);
  return groups.length ? groups : undefined;
}

/** A group is an op-name prefix (`apps`, `deploy.rollback`), an op name or a tool name (`apps_list`). */
export function inGroups(opName: string, groups: string[] | undefined): boolean {
  if (!groups) return true;
  return groups.some((g) => opName === g || toolNameFor(opName) === g || opName.startsWith(g + '.') || opName.startsWith(g.replace(/_/g, '.') + '.'));
}

/** A filter entry that matches no op would silently empty the list: refuse it, naming the valid groups. */
export function assertKnownGroups(groups: string[] | undefined, opNames: string[]): void {
  const unknown = (groups ?? []).filter((g) => !opNames.some((n) => inGroups(n, [g])));
  if (!unknown.length) return;
  const valid = [...new Set(opNames.map((n) => n.split('.')[0]))].sort();
  throw new OpError(
    'BAD_INPUT',
    `Unknown tool group or name ${unknown.map((g) => `'${g}'`).join(', ')}. Valid groups: ${valid.join(', ')}; or an operation or tool name (apps.list or apps_list).`,
    { unknown, valid },
  );
}
