import { readPresenceSecret } from '../../auth/presence.js';
import { isLoopback } from '../../kernel/cidr.js';
import { defaultDataDir } from '../../kernel/config.js';
import { readClientConfig } from '../../server/client-config.js';
import { flagString, type ParsedArgs } from './args.js';
import { FaztClient } from './client.js';

export interface CliIO {
  out: (s: string) => void;
  /** Writes without a newline (streamed text); falls back to out. */
  write?: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
  /** Reads one line from the person at the terminal (confirmations). */
  prompt?: (question: string) => Promise<string>;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface CliContext {
  io: CliIO;
  args: ParsedArgs;
  json: boolean;
  /** The server to talk to: flags, then FAZT_URL/FAZT_TOKEN, then the data dir's client config. */
  client(): FaztClient;
  /** True when the token in use is the owner key from the local data dir (a person at this server). */
  isLocalOwner(): boolean;
}

export function makeContext(io: CliIO, args: ParsedArgs): CliContext {
  const json = args.flags.json === true || flagString(args.flags, 'format') === 'json';
  const dataDir = flagString(args.flags, 'data') ?? defaultDataDir();
  let resolved: { client: FaztClient; local: boolean } | undefined;
  const resolve = () => {
    if (resolved) return resolved;
    const url = flagString(args.flags, 'server') || process.env.FAZT_URL || undefined;
    const token = flagString(args.flags, 'token') || process.env.FAZT_TOKEN || undefined;
    const local = readClientConfig(dataDir);
    const finalUrl = url ?? local?.url;
    const finalToken = token ?? (url && url !== local?.url ? undefined : local?.token);
    if (!finalUrl || !finalToken) {
      throw new CliError(
        `No server configured. Start one with 'fazt server start' (it writes ${dataDir}/client.json), or pass --server URL --token T (or set FAZT_URL and FAZT_TOKEN).`,
        3,
      );
    }
    const isLocal = !!local && finalToken === local.token;
    // The presence secret only ever travels to this machine's own server over loopback.
    const presence = isLocal && finalUrl === local.url && isLoopbackUrl(finalUrl) ? readPresenceSecret(dataDir) : undefined;
    resolved = { client: new FaztClient(finalUrl, finalToken, presence), local: isLocal };
    return resolved;
  };
  return { io, args, json, client: () => resolve().client, isLocalOwner: () => resolve().local };
}

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || isLoopback(host);
  } catch {
    return false;
  }
}
