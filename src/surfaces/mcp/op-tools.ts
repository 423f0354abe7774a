import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import type { AnyOp, Caller } from '../../kernel/ops/define.js';
import { mayUse } from '../../kernel/ops/define.js';
import type { HaltedResult } from '../../kernel/ops/call.js';
import { opSchemas } from '../shared/json-schema.js';
import { toolNameFor } from './tool-names.js';

const defs = new WeakMap<AnyOp, Tool>();

/** The MCP tool an op becomes; built once per op and shared by every request. */
export function toolFor(op: AnyOp): Tool {
  let t = defs.get(op);
  if (!t) {
    const { input, output } = opSchemas(op);
    const readOnly = op.risk === 'read';
    t = {
      name: toolNameFor(op.name),
      title: op.title,
      description: op.description + haltNote(op),
      inputSchema: { ...input, type: 'object' } as Tool['inputSchema'],
      // MCP wants an object at the root of outputSchema; other outputs still come back as structuredContent.
      ...(output.type === 'object' ? { outputSchema: output as Tool['outputSchema'] } : {}),
      // 2025-11-25 clients learn which tools run as tasks here (2026 clients simply get tasks back).
      ...(op.longRunning ? { execution: { taskSupport: 'optional' as const } } : {}),
      annotations: {
        title: op.title,
        readOnlyHint: readOnly,
        destructiveHint: op.risk === 'destructive' || op.risk === 'costly',
        idempotentHint: op.idempotent ?? readOnly,
        openWorldHint: op.openWorld ?? false,
      },
    };
    defs.set(op, t);
  }
  return t;
}

function haltNote(op: AnyOp): string {
  return op.risk === 'destructive' || op.risk === 'costly'
    ? ' The user is asked to confirm; if that is not possible the call waits for the owner\'s approval (see halt_status).'
    : '';
}

/** Tools a caller may see: never humanOnly ops, only ops some capability it holds can satisfy. */
export function visibleTo(op: AnyOp, caller: Caller): boolean {
  return !op.humanOnly && mayUse(op, caller.caps);
}

const TEXT_LIMIT = 20_000;

/** structuredContent for clients that read it, the same JSON as text for those that only show text. */
export function okResult(output: unknown): CallToolResult {
  let text = JSON.stringify(output) ?? 'null';
  if (text.length > TEXT_LIMIT) text = text.slice(0, TEXT_LIMIT) + ` … (${text.length - TEXT_LIMIT} more characters in structuredContent)`;
  const structured = output !== null && typeof output === 'object' && !Array.isArray(output) ? (output as Record<string, unknown>) : { result: output };
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/** A halted call did not run: say so plainly, with what the model can do next. */
export function haltedResult(h: HaltedResult): CallToolResult {
  const text =
    `HALTED: not run yet. ${h.reason}\n` +
    `The owner must approve halt ${h.haltId} (expires ${h.expiresAt}): on the server with 'fazt halt approve ${h.haltId}'. ` +
    `Call the halt_status tool with {"id":"${h.haltId}"} later to see the decision and, once approved, the result.`;
  return { isError: true, content: [{ type: 'text', text }], _meta: { 'fazt/halt': { ...h } } };
}
