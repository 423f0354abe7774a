import { z } from 'zod';
import { CHANNELS } from '../../../notify/channels/index.js';
import type { JsonSchema } from '../../shared/json-schema.js';
import { coerceStrings } from '../../shared/json-schema.js';
import { flagString } from '../args.js';
import type { CliCommand } from '../command.js';
import { CliError } from '../context.js';
import { fieldName, flagName, printResponse, readInputFile, readSecretFromStdin } from '../op-commands.js';


/** Each channel type's config fields, read from its own schema: the flags stay in step with the channels. */
const FIELDS = new Map(CHANNELS.map((c) => [c.type, z.toJSONSchema(c.config, { io: 'input', unrepresentable: 'any' }) as JsonSchema]));
const fieldFlags = (type: string) => Object.keys(FIELDS.get(type)?.properties ?? {}).map(flagName);
const isBoolean = (p: JsonSchema | undefined) => p?.type === 'boolean';
const BOOLEANS = [...new Set(CHANNELS.flatMap((c) => Object.entries(FIELDS.get(c.type)!.properties ?? {}).filter(([, p]) => isBoolean(p)).map(([k]) => flagName(k))))];
const VALUES = [...new Set(CHANNELS.flatMap((c) => fieldFlags(c.type)))].filter((f) => !BOOLEANS.includes(f));

/** `smtps://user@smtp.example.com:465` → host, port, secure, user. */
function smtpUrl(text: string): Record<string, unknown> {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new CliError(`--smtp: '${text}' is not a URL like smtps://user@smtp.example.com:465 or smtp://smtp.example.com:587.`, 2);
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new CliError(`--smtp: the scheme must be smtp:// (STARTTLS) or smtps:// (TLS), not ${u.protocol}//.`, 2);
  if (u.password) throw new CliError('--smtp: leave the password out of the URL (it would show in the process list); use --password - and pipe it in.', 2);
  const secure = u.protocol === 'smtps:';
  return { host: u.hostname, port: u.port ? Number(u.port) : secure ? 465 : 587, secure, ...(u.username ? { user: decodeURIComponent(u.username) } : {}) };
}

export const notifyChannelsAdd: CliCommand = {
  words: ['notify', 'channels', 'add'],
  summary: 'Add a notification channel (email, slack, discord, ntfy, sms, webhook, telegram)',
  usage: `fazt notify channels add <type> [name] [--<field> VALUE …] [--config JSON|@file] [--json]

Adds a channel through notify.channels.add. Each field of the type's config is a flag;
a secret field given as '-' is read from standard input, so it stays out of the
process list. The name defaults to the type.

Examples:
  printf %s "$SMTP_PASSWORD" | fazt notify channels add email --smtp smtps://fazt@smtp.example.com:465 \\
      --password - --from fazt@example.com --to me@example.com
  fazt notify channels add ntfy phone --server https://ntfy.sh --topic my-fazt-alerts
  fazt notify channels add webhook hooks --url https://example.com/fazt --secret whsec_…

Fields by type:
${CHANNELS.map((c) => `  ${c.type.padEnd(9)} ${fieldFlags(c.type).map((f) => '--' + f).join(' ')}${c.type === 'email' ? ' (or --smtp URL)' : ''}`).join('\n')}`,
  flags: [...VALUES, 'config', 'smtp'],
  booleans: BOOLEANS,
  async run(ctx, positionals) {
    const [type, name, ...rest] = positionals;
    if (!type) throw new CliError(`Give a channel type: ${CHANNELS.map((c) => c.type).join(', ')}.`, 2);
    if (rest.length) throw new CliError(`Too many arguments: ${rest.join(' ')}. See --help.`, 2);
    const schema = FIELDS.get(type);
    if (!schema) throw new CliError(`Unknown channel type '${type}'. Known types: ${CHANNELS.map((c) => c.type).join(', ')}.`, 2);
    const valid = fieldFlags(type);
    let config: Record<string, unknown> = {};
    const raw = flagString(ctx.args.flags, 'config');
    if (raw !== undefined) {
      const text = raw.startsWith('@') ? readInputFile(raw.slice(1), 'config') : raw;
      try {
        config = JSON.parse(text);
      } catch (err) {
        throw new CliError(`--config is not valid JSON: ${(err as Error).message}`, 2);
      }
    }
    const smtp = flagString(ctx.args.flags, 'smtp');
    if (smtp !== undefined) {
      if (type !== 'email') throw new CliError(`--smtp is for email channels; ${type} has: ${valid.map((f) => '--' + f).join(' ')}.`, 2);
      config = { ...config, ...smtpUrl(smtp) };
    }
    const strings: Record<string, string | boolean> = {};
    const lists: Record<string, string[]> = {};
    for (const [flag, v] of Object.entries(ctx.args.flags)) {
      if (flag === 'config' || flag === 'smtp' || !(VALUES.includes(flag) || BOOLEANS.includes(flag))) continue;
      if (!valid.includes(flag)) throw new CliError(`${type} channels have no --${flag}; their fields: ${valid.map((f) => '--' + f).join(' ')}.`, 2);
      const field = fieldName(flag);
      const prop = schema.properties![field];
      // A list field (e-mail recipients) takes a comma-separated value.
      const listy = JSON.stringify(prop).includes('"array"');
      const value = Array.isArray(v) ? v.join(',') : v;
      if (listy && typeof value === 'string' && value.includes(',')) lists[field] = value.split(',').map((s) => s.trim());
      else strings[field] = value === '-' ? readSecretFromStdin(field) : value;
    }
    config = { ...config, ...coerceStrings(schema, strings), ...lists };
    const res = await ctx.client().callOp('notify.channels.add', { type, ...(name ? { name } : {}), config });
    return printResponse(ctx, res.status, res.body);
  },
};
