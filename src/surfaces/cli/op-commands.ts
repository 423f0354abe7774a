import { readFileSync } from 'node:fs';
import type { AnyOp } from '../../kernel/ops/define.js';
import { exitCodeFor } from '../../kernel/ops/errors.js';
import { coerceStrings, opSchemas, type JsonSchema } from '../shared/json-schema.js';
import { flagString } from './args.js';
import type { OpResponse } from './client.js';
import { CliError, type CliContext } from './context.js';
import { GLOBAL_FLAGS } from './flags.js';
import { render } from './render.js';
import { printStarted, settleTask } from './task-follow.js';

/** Command words for an op: its CLI hint, or its name split on dots. */
export function commandWords(op: AnyOp): string[] {
  return op.cli?.command ?? op.name.split('.');
}

/** The flags of an op's command: one per input field (kebab-case), plus --input. */
export function opFlags(op: AnyOp): string[] {
  const extra = [...(op.longRunning ? ['detach'] : []), ...(mayAsk(op) || op.cli?.waitsOn ? ['yes'] : [])];
  return [...new Set([...Object.keys(opSchemas(op).input.properties ?? {}).map(flagName), 'input', ...extra])];
}

/** A call of this op can be destructive or costly (always, or for some input): the owner confirms it. */
function mayAsk(op: AnyOp): boolean {
  return op.risk === 'destructive' || op.risk === 'costly' || op.riskOf !== undefined;
}

/** A flag as an input field: `max-tokens` → `maxTokens`. */
export function fieldName(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** An input field as a flag: `maxTokens` → `max-tokens`. */
export function flagName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Builds op input from positionals, --field flags and an optional --input JSON (or @file). */
export async function buildInput(op: AnyOp, positionals: string[], flags: CliContext['args']['flags']): Promise<Record<string, unknown>> {
  const schema = opSchemas(op).input;
  let base: Record<string, unknown> = {};
  const rawInput = flagString(flags, 'input');
  if (rawInput) {
    const text = rawInput.startsWith('@') ? readInputFile(rawInput.slice(1)) : rawInput;
    try {
      base = JSON.parse(text);
    } catch (err) {
      throw new CliError(`--input is not valid JSON: ${(err as Error).message}`, 2);
    }
  }
  const strings: Record<string, string | string[] | boolean> = {};
  const names = op.cli?.positional ?? [];
  if (positionals.length > names.length) {
    throw new CliError(`Too many arguments: ${positionals.slice(names.length).join(' ')}. See --help.`, 2);
  }
  names.forEach((n, i) => positionals[i] !== undefined && (strings[n] = positionals[i]));
  // Flags were checked against opFlags before the command ran; the rest are global.
  for (const [k, v] of Object.entries(flags)) {
    const field = fieldName(k);
    // A global flag keeps its global meaning even where a field shares its name (--data is the data dir).
    if (k !== 'input' && !(k === 'detach' && op.longRunning) && !GLOBAL_FLAGS.includes(k) && schema.properties?.[field]) strings[field] = v;
  }
  for (const [field, v] of Object.entries(strings)) {
    if (v === '-' && SECRET_FIELD.test(field) && schema.properties?.[field]?.type === 'string') strings[field] = readSecretFromStdin(field);
  }
  return { ...base, ...coerceStrings(schema, strings) };
}

/** Fields whose values must not sit in the process list: `--api-key -` reads them from stdin instead. */
const SECRET_FIELD = /key|token|password|secret/i;

export function readSecretFromStdin(field: string): string {
  let text: string;
  try {
    text = readFileSync(0, 'utf8');
  } catch (err) {
    throw new CliError(`--${flagName(field)} -: cannot read standard input (${(err as Error).message}).`, 2);
  }
  const value = text.replace(/\r?\n$/, '');
  if (!value) throw new CliError(`--${flagName(field)} -: standard input was empty; pipe the value in, e.g. printf %s "$KEY" | fazt …`, 2);
  return value;
}

/** The positionals of an op's command as usage shows them: `<app>` when required, `[version]` when not. */
export function positionalUsage(op: AnyOp): string {
  const required = new Set(opSchemas(op).input.required ?? []);
  return (op.cli?.positional ?? []).map((p) => (required.has(p) ? ` <${p}>` : ` [${p}]`)).join('');
}

/** `--input @file`: a file that cannot be read is the person's mistake (exit 2), said with the file's name. */
export function readInputFile(path: string, flag = 'input'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new CliError(`--${flag} @${path}: cannot read ${path} (${why}).`, 2);
  }
}

export function opHelp(op: AnyOp): string {
  const schema = opSchemas(op).input;
  const required = new Set(schema.required ?? []);
  const lines = [
    `fazt ${commandWords(op).join(' ')}${positionalUsage(op)} [options]`,
    '',
    op.description,
    '',
    `op: ${op.name}   risk: ${op.risk}   needs: ${[op.requires].flat().join(' or ')}`,
    '',
    'Options:',
  ];
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const flag = `--${flagName(name)}`;
    const type = describeType(prop);
    const extra = [required.has(name) ? 'required' : '', prop.default !== undefined ? `default ${JSON.stringify(prop.default)}` : '']
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${`${flag} ${type}`.padEnd(32)} ${prop.description ?? ''}${extra ? ` (${extra})` : ''}`);
  }
  lines.push('  --input JSON|@file               the whole input as JSON', '  --json                           machine-readable output');
  lines.push('  --server URL --token T           talk to another fazt server');
  if (op.risk === 'destructive' || op.risk === 'costly') lines.push('  --yes                            run without asking (the owner at this server)');
  else if (op.riskOf) lines.push('  --yes                            run without asking when the call is destructive or costly (the owner at this server)');
  else if (op.cli?.waitsOn) lines.push('  --yes                            run its costly steps without asking (the owner at this server)');
  if (op.longRunning) lines.push('  --detach                         run as a task: print its id and return (fazt tasks wait <id>)');
  return lines.join('\n');
}

function describeType(p: JsonSchema): string {
  if (p.enum) return `<${(p.enum as unknown[]).join('|')}>`;
  const t = Array.isArray(p.type) ? p.type.join('|') : (p.type ?? 'json');
  return t === 'boolean' ? '' : t === 'array' ? `<${p.items?.type ?? 'value'}>…` : `<${t}>`;
}

/**
 * Runs an op over HTTP. Destructive and costly ops are confirmed by the owner at
 * the terminal (or --yes); anyone else gets a halt the owner decides later.
 */
export async function runOpCommand(ctx: CliContext, op: AnyOp, positionals: string[]): Promise<number> {
  const input = await buildInput(op, positionals, ctx.args.flags);
  const client = ctx.client();
  const confirmed = await ownerConfirms(ctx, op, input);
  if (typeof confirmed === 'number') return confirmed;
  const human = op.humanOnly === true || confirmed;
  const detach = op.longRunning === true && ctx.args.flags.detach === true;
  if (detach) {
    const res = await client.callOp(op.name, input, { human, task: true });
    return printStarted(ctx, res.status, res.body);
  }
  // On a terminal, long work runs as a task so its progress can be drawn; its result prints as usual.
  const follow = op.longRunning === true && !ctx.json && process.stderr.isTTY === true;
  const call = async (): Promise<OpResponse | number> => {
    const res = await client.callOp(op.name, input, { human, task: follow });
    const taskId = (res.body as { taskId?: string } | null)?.taskId;
    if (!follow || res.status !== 202 || !taskId) return res;
    const settled = await settleTask(ctx, taskId);
    return typeof settled === 'number' ? settled : { status: 200, body: settled.result };
  };
  let res = await call();
  // A result paused on the owner's approval: the owner at this terminal can give it here.
  const asked = new Set<string>();
  while (typeof res !== 'number' && res.status === 200 && op.cli?.waitsOn && ctx.io.isTTY && ctx.io.prompt && !ctx.json) {
    const haltId = op.cli.waitsOn(res.body);
    if (!haltId || asked.has(haltId)) break;
    asked.add(haltId);
    if (!(await approveHere(ctx, haltId))) break;
    res = await call();
  }
  return typeof res === 'number' ? res : printResponse(ctx, res.status, res.body);
}

/**
 * Whether the owner at this terminal confirms the call: --yes, or a yes to the question
 * when the call is destructive or costly. A number is the exit code when it stops here.
 */
async function ownerConfirms(ctx: CliContext, op: AnyOp, input: Record<string, unknown>): Promise<boolean | number> {
  // --yes: the owner at this server confirms, for the op itself or for a costly step inside it.
  if (ctx.args.flags.yes === true) return true;
  if (!mayAsk(op) || !ctx.io.isTTY || !ctx.io.prompt) return false;
  // The server words the question (describeHalt), judges a risk that depends on the input,
  // and refuses bad input before anyone is asked.
  const preview = await ctx.client().callOp('halt.preview', { op: op.name, args: input });
  if (preview.status !== 200) return printResponse(ctx, preview.status, preview.body);
  const { reason, risk } = preview.body as { reason: string; risk: string };
  if (risk !== 'destructive' && risk !== 'costly') return false;
  const answer = await ctx.io.prompt(`${reason}\nThis is ${risk}. Continue? [y/N] `);
  if (/^y(es)?$/i.test(answer.trim())) return true;
  ctx.io.err('Canceled.');
  return 5;
}

/** Shows a pending halt's reason and approves it when the owner says yes (asking for a TOTP code if one is on). */
async function approveHere(ctx: CliContext, haltId: string): Promise<boolean> {
  const client = ctx.client();
  const halt = await client.callOp('halt.status', { id: haltId });
  const h = halt.body as { status?: string; reason?: string };
  if (halt.status !== 200 || h.status !== 'pending') return false;
  const answer = await ctx.io.prompt!(`${h.reason}\nApprove it now? [y/N] `);
  if (!/^y(es)?$/i.test(answer.trim())) return false;
  let approved = await client.callOp('halt.approve', { id: haltId }, { human: true });
  if ((approved.body as { error?: { details?: { totpRequired?: boolean } } })?.error?.details?.totpRequired) {
    const code = await ctx.io.prompt!('TOTP code: ');
    approved = await client.callOp('halt.approve', { id: haltId, code: code.trim() }, { human: true });
  }
  if (approved.status !== 200) {
    printResponse(ctx, approved.status, approved.body);
    return false;
  }
  return true;
}

export function printResponse(ctx: CliContext, status: number, body: unknown): number {
  const b = body as { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>;
  if (status >= 400 || b?.error) {
    const e = b?.error ?? { code: 'INTERNAL', message: `HTTP ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}` };
    if (ctx.json) ctx.io.out(JSON.stringify({ error: e }, null, 2));
    else ctx.io.err(`Error (${e.code}): ${e.message}`);
    return exitCodeFor(e.code);
  }
  if (status === 202 && b?.halted) {
    if (ctx.json) ctx.io.out(JSON.stringify(body, null, 2));
    else ctx.io.err(`Halted: ${b.reason}\nThe owner must approve it: fazt halt approve ${b.haltId}   (expires ${b.expiresAt})`);
    return 5;
  }
  ctx.io.out(ctx.json ? JSON.stringify(body, null, 2) : render(body));
  return 0;
}
