import type { z } from 'zod';
import type { Kernel } from '../kernel/kernel.js';
import { OpError } from '../kernel/ops/errors.js';
import { nowIso } from '../store/db.js';
import { channelByType } from './channels/index.js';
import type { Channel, ChannelConfig } from './channels/types.js';

export interface ChannelInfo {
  name: string;
  type: string;
  /** Non-secret config only. */
  config: ChannelConfig;
  /** Which secret fields hold a value (never the values). */
  secretsSet: string[];
  createdAt: string;
}

/** A channel ready to deliver: its secrets opened for this delivery only. */
export interface OpenChannel {
  name: string;
  channel: Channel;
  config: ChannelConfig;
  /** Plain values to scrub from anything a delivery reports. */
  secrets: string[];
}

interface Row {
  name: string;
  type: string;
  config: string;
  created_at: string;
}

const secretName = (channel: string, field: string) => `notify.${channel}.${field}`;

/** Lists zod problems as `config.<field>: <why>`, never echoing a value (it may be a password). */
function configError(type: string, err: z.ZodError): OpError {
  const fields = err.issues.map((i) => {
    const path = ['config', ...i.path.map(String)].join('.');
    const keys = i.code === 'unrecognized_keys' ? ` (${i.keys.join(', ')})` : '';
    return { path, message: i.message + keys };
  });
  return new OpError('BAD_INPUT', `Invalid ${type} channel config: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}.`, { fields });
}

/** Channel rows with their credentials split off into the secrets store under notify.<name>.<field>. */
export class ChannelStore {
  constructor(private readonly kernel: Kernel) {}

  add(type: string, name: string, raw: Record<string, unknown>): ChannelInfo {
    const channel = channelByType(type);
    const parsed = channel.config.safeParse(raw);
    if (!parsed.success) throw configError(type, parsed.error);
    if (this.row(name)) throw new OpError('CONFLICT', `A channel named '${name}' exists; remove it first (fazt notify channels remove ${name}).`);
    const plain: ChannelConfig = {};
    for (const [k, v] of Object.entries(parsed.data)) if (!channel.secretFields.includes(k)) plain[k] = v;
    const secrets = this.kernel.services.secrets;
    for (const f of channel.secretFields) {
      const v = parsed.data[f];
      if (typeof v === 'string') secrets.set(secretName(name, f), v);
      else secrets.delete(secretName(name, f));
    }
    this.kernel.db.prepare('INSERT INTO notify_channels (name, type, config, created_at) VALUES (?, ?, ?, ?)').run(name, type, JSON.stringify(plain), nowIso());
    return this.info(this.row(name)!);
  }

  remove(name: string): boolean {
    const row = this.row(name);
    if (!row) return false;
    for (const f of this.secretFieldsOf(row)) this.kernel.services.secrets.delete(secretName(name, f));
    return this.kernel.db.prepare('DELETE FROM notify_channels WHERE name = ?').run(name).changes > 0;
  }

  list(): ChannelInfo[] {
    return (this.kernel.db.prepare('SELECT * FROM notify_channels ORDER BY name').all() as Row[]).map((r) => this.info(r));
  }

  names(): string[] {
    return (this.kernel.db.prepare('SELECT name FROM notify_channels ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  }

  has(name: string): boolean {
    return this.row(name) !== undefined;
  }

  /** NOT_FOUND names the channels there are. */
  require(name: string): void {
    if (!this.has(name)) {
      const known = this.names();
      throw new OpError('NOT_FOUND', `No channel '${name}'. Channels: ${known.length ? known.join(', ') : 'none (add one with notify.channels.add)'}.`, { known });
    }
  }

  /** The channel with its secrets merged back in, for one delivery; undefined once removed. */
  open(name: string): OpenChannel | undefined {
    const row = this.row(name);
    if (!row) return undefined;
    const channel = channelByType(row.type);
    const config: ChannelConfig = JSON.parse(row.config);
    const secrets: string[] = [];
    for (const f of channel.secretFields) {
      const v = this.kernel.services.secrets.get(secretName(name, f));
      if (v !== undefined) {
        config[f] = v;
        secrets.push(v);
      }
    }
    return { name, channel, config, secrets };
  }

  private row(name: string): Row | undefined {
    return this.kernel.db.prepare('SELECT * FROM notify_channels WHERE name = ?').get(name) as Row | undefined;
  }

  private secretFieldsOf(row: Row): readonly string[] {
    try {
      return channelByType(row.type).secretFields;
    } catch {
      return [];
    }
  }

  private info(r: Row): ChannelInfo {
    const secrets = this.kernel.services.secrets;
    return {
      name: r.name,
      type: r.type,
      config: JSON.parse(r.config),
      secretsSet: this.secretFieldsOf(r).filter((f) => secrets.has(secretName(r.name, f))),
      createdAt: r.created_at,
    };
  }
}
