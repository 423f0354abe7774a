import { parseCidrList } from '../../../kernel/cidr.js';
import { parsePublicUrl } from '../../../kernel/config.js';
import { flagString } from '../args.js';
import type { CliCommand } from '../command.js';
import { CliError } from '../context.js';

/** HTTPS and ACME flags, each an `ssl.*` setting the ssl module checks. */
const SSL_SETTING: Record<string, string> = {
  'https-port': 'ssl.httpsPort',
  'acme-directory': 'ssl.acmeDirectory',
  'acme-email': 'ssl.acmeEmail',
  'acme-eab-kid': 'ssl.acmeEabKid',
  'acme-eab-hmac-key': 'ssl.acmeEabHmacKey',
};
const SSL_FLAGS = Object.keys(SSL_SETTING);

export const serverStart: CliCommand = {
  words: ['server', 'start'],
  summary: 'Start the fazt server in the foreground',
  usage: `fazt server start [--host 127.0.0.1] [--port 8080] [--data DIR] [--domain localhost]

Starts the server on the data dir (default ~/.fazt, or FAZT_DATA). On the first start
that listens it creates data.db, prints the owner key once and writes DIR/client.json
(mode 0600) so the CLI on this machine works with no flags; a lost key is replaced with
'fazt auth owner-key reset'. Files in DIR are written 0600, and a DIR other users can
read or write is refused. Stop with Ctrl-C: in-flight requests finish, buffers are
flushed and the database is closed.

Options:
  --host ADDR        listen address (default 127.0.0.1; FAZT_HOST)
  --port N           listen port (default 8080; FAZT_PORT; 0 picks a free one)
  --data DIR         data directory (default ~/.fazt; FAZT_DATA)
  --domain NAME      apps are served at <slug>.NAME (default localhost; FAZT_DOMAIN)
  --max-upload BYTES largest deploy body (default 100 MiB; other API calls take 1 MiB)
  --rate-limit N     calls per minute per capability token (default 600, 0 = off)
  --trusted-proxy CIDR  peers allowed to name the signed-in user with x-fazt-user
                     (repeatable, IPv4 or IPv6; FAZT_TRUSTED_PROXY, comma-separated;
                     default: nobody, the header is removed)
  --public-url URL   where people reach this server, used in approval links
                     (http:// or https://; FAZT_PUBLIC_URL; default: the server's own URL)
  --dns-port N       answer DNS for hosted zones on UDP and TCP port N (FAZT_DNS_PORT;
                     default: off; 0 picks a free one); zones: fazt dns zones create
  --dns-host ADDR    DNS listen address (default 127.0.0.1; FAZT_DNS_HOST)
  --https-port N     HTTPS listen port (default 443 on a public address, off on
                     127.0.0.1/localhost; 'off' turns it off); certificates by SNI
  --http-redirect    send plain HTTP to HTTPS (ACME challenges excepted)
  --acme-directory URL  ACME CA: a directory URL, 'production' (Let's Encrypt,
                     the default) or 'staging'
  --acme-email ADDR  contact address for the ACME account
  --acme-eab-kid ID  External Account Binding key id (CAs that require one);
                     the HMAC key comes from --acme-eab-hmac-key or
                     FAZT_ACME_EAB_HMAC_KEY and is kept in the secrets store
  --no-example       do not deploy the example app on first start
  --insecure-permissions  start even if other users can read or write the data dir
  --set KEY=VALUE    extra setting for a module (repeatable), e.g. --set pulse.interval=30s`,
  flags: ['host', 'port', 'domain', 'max-upload', 'rate-limit', 'set', 'pulse-interval', 'trusted-proxy', 'public-url', 'dns-port', 'dns-host', ...SSL_FLAGS],
  booleans: ['example', 'insecure-permissions', 'http-redirect'],
  async run(ctx) {
    // Started by another fazt (a local server): it stops when that one does, however that one
    // ended, and even if that happens while this one is still starting.
    const parent = parentTie();
    const { bootServer } = await import('../../../server/boot.js');
    const f = ctx.args.flags;
    const num = (name: string) => {
      const v = flagString(f, name);
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new CliError(`--${name} must be a whole number, got '${v}'.`, 2);
      return n;
    };
    const port = num('port');
    if (port !== undefined && port > 65535) throw new CliError('--port must be 0-65535.', 2);
    const dnsPort = num('dns-port') ?? dnsPortFromEnv();
    if (dnsPort !== undefined && dnsPort > 65535) throw new CliError('--dns-port must be 0-65535.', 2);
    const extra: Record<string, string> = {};
    for (const kv of [f.set ?? []].flat()) {
      if (typeof kv !== 'string' || !kv.includes('=')) throw new CliError(`--set takes KEY=VALUE, got '${String(kv)}'.`, 2);
      extra[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
    }
    for (const [k, v] of Object.entries(f)) {
      if (k.startsWith('pulse-') && typeof v === 'string') extra[k.replace('-', '.')] = v;
    }
    for (const name of SSL_FLAGS) {
      const v = f[name];
      if (v === undefined) continue;
      if (typeof v !== 'string') throw new CliError(`--${name} takes one value.`, 2);
      extra[SSL_SETTING[name]] = v;
    }
    if (f['http-redirect'] !== undefined) extra['ssl.httpRedirect'] = String(f['http-redirect'] === true);
    const trustedProxies = trustedProxyFlags(f['trusted-proxy']);
    const publicUrl = publicUrlFlag(f['public-url']);
    const { BootError } = await import('../../../server/boot-error.js');
    const server = await bootServer({
      trustedProxies,
      publicUrl,
      host: flagString(f, 'host'),
      port,
      dataDir: flagString(f, 'data'),
      domain: flagString(f, 'domain'),
      maxUploadBytes: num('max-upload'),
      rateLimitPerMinute: num('rate-limit'),
      seedExample: f.example !== false,
      dnsPort,
      dnsHost: flagString(f, 'dns-host'),
      extra,
    }, { insecurePermissions: f['insecure-permissions'] === true }).catch((err: unknown) => {
      throw err instanceof BootError ? new CliError(err.message, 1) : err;
    });
    const { kernel, url } = server;
    const out = ctx.io.out;
    out(`fazt is running at ${url}  (data: ${kernel.config.dataDir})`);
    out(`  landing    ${kernel.services.apps.urlFor('root')}`);
    out(`  dashboard  ${kernel.services.apps.urlFor('admin')}  (sign in with the owner key, or set a password: fazt auth password set)`);
    const hello = kernel.services.apps.find('hello');
    if (hello) out(`  example    ${hello.url}`);
    out(`  API        ${url}/api/ops/<name>   MCP  ${url}/mcp`);
    const dns = kernel.services.dnsServer.listening();
    if (dns) out(`  DNS        ${dns.host} port ${dns.port} (UDP and TCP)`);
    const httpsPort = kernel.services.ssl.httpsPort;
    if (httpsPort !== undefined) {
      const dashboard = new URL(kernel.services.apps.urlFor('admin'));
      dashboard.protocol = 'https:';
      dashboard.port = httpsPort === 443 ? '' : String(httpsPort);
      out(`  HTTPS      port ${httpsPort}: ${dashboard.href}, every app alike  (certificates: fazt ssl list; local CA: fazt ssl trust)`);
    }
    out(`  CLI        fazt --help  (the CLI talks to this server; halts: fazt halt list)`);
    const publicUrlWarning = kernel.services.notify.publicUrlWarning();
    if (publicUrlWarning) ctx.io.err(`\n${publicUrlWarning}`);
    if (server.ownerKey) {
      out('');
      out(`Owner key (shown once, saved to ${kernel.config.dataDir}/client.json):`);
      out(`  ${server.ownerKey}`);
    } else if (server.ownerKeyLost) {
      ctx.io.err(`\n${kernel.config.dataDir}/client.json holds no working owner key. To get a new one: fazt auth owner-key reset --data ${kernel.config.dataDir}`);
    }
    await new Promise<void>((resolve) => {
      const shutdown = (sig: string) => {
        ctx.io.err(`\n${sig}: finishing in-flight requests…`);
        server.stop().then(resolve, resolve);
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      parent?.onGone(() => shutdown('the fazt that started this server stopped'));
    });
    ctx.io.err('fazt stopped.');
    return 0;
  },
};

/** --trusted-proxy (repeatable) wins over FAZT_TRUSTED_PROXY; either is checked before anything starts. */
function trustedProxyFlags(flag: string | string[] | boolean | undefined): string[] | undefined {
  if (flag === true || flag === false) throw new CliError('--trusted-proxy takes a CIDR, e.g. --trusted-proxy 10.0.0.0/8.', 2);
  const [source, items] = flag !== undefined ? ['--trusted-proxy', [flag].flat()] : ['FAZT_TRUSTED_PROXY', process.env.FAZT_TRUSTED_PROXY ? [process.env.FAZT_TRUSTED_PROXY] : []];
  try {
    const ranges = parseCidrList(items).map((c) => c.text);
    if (flag !== undefined && !ranges.length) throw new Error('it takes a CIDR, e.g. --trusted-proxy 10.0.0.0/8.');
    return ranges;
  } catch (err) {
    throw new CliError(`${source}: ${(err as Error).message}`, 2);
  }
}

/** --public-url wins over FAZT_PUBLIC_URL; either is checked before anything starts. */
function publicUrlFlag(flag: string | string[] | boolean | undefined): string | undefined {
  if (flag === true || flag === false || Array.isArray(flag)) throw new CliError('--public-url takes one URL, e.g. --public-url https://fazt.example.com.', 2);
  const [source, value] = flag !== undefined ? ['--public-url', flag] : ['FAZT_PUBLIC_URL', process.env.FAZT_PUBLIC_URL || undefined];
  if (value === undefined) return undefined;
  try {
    return parsePublicUrl(value, `The public URL (${source})`);
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
}

/** FAZT_DNS_PORT, checked before anything starts. */
function dnsPortFromEnv(): number | undefined {
  const v = process.env.FAZT_DNS_PORT;
  if (!v) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`FAZT_DNS_PORT must be a port 0-65535, got '${v}'.`, 2);
  return n;
}

/** The IPC channel of a fazt started by another: `onGone` runs once that one is gone (at once if it already is). */
function parentTie(): { onGone(fn: () => void): void } | undefined {
  if (!process.connected) return undefined;
  process.channel?.unref();
  let gone = false;
  let then: (() => void) | undefined;
  process.once('disconnect', () => {
    gone = true;
    then?.();
  });
  return {
    onGone(fn) {
      if (gone) fn();
      else then = fn;
    },
  };
}
