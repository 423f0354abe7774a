import type { KernelModule } from '../kernel/module.js';
import { closeHttps, createHttpsServer, listenHttps } from './https-listener.js';
import { BuiltinDnsSolver } from './dns-solvers/builtin.js';
import { InfraDnsSolver } from './dns-solvers/infra.js';
import { sslMigrations } from './migrations.js';
import { sslOps } from './ops/ssl-ops.js';
import { httpsRedirect } from './redirect.js';
import { readSslSettings } from './settings.js';
import { EAB_HMAC_SECRET, SslService } from './ssl-service.js';

declare module '../kernel/services.js' {
  interface Services {
    ssl: SslService;
  }
}

/** HTTPS: certificates (ACME, local CA, imported), the SNI listener and renewal. */
export const sslModule: KernelModule = {
  name: 'ssl',
  migrations: sslMigrations,
  ops: sslOps,
  init(kernel) {
    const settings = readSslSettings(kernel.config);
    // The EAB HMAC key is a credential: it goes into the secrets store, not the config.
    const hmac = kernel.config.extra['ssl.acmeEabHmacKey'] || process.env.FAZT_ACME_EAB_HMAC_KEY;
    delete kernel.config.extra['ssl.acmeEabHmacKey'];
    if (hmac) kernel.services.secrets.set(EAB_HMAC_SECRET, hmac);
    const ssl = new SslService(kernel, settings);
    kernel.services.ssl = ssl;
    ssl.registerDnsSolver(new BuiltinDnsSolver(kernel));
    ssl.registerDnsSolver(new InfraDnsSolver(kernel));
    // Before every other route and on any Host: the CA asks on the name it validates.
    kernel.useHttp(0, ssl.http01.handler, ssl.http01.accepts);
    if (settings.httpRedirect) kernel.useHttp(1, httpsRedirect(() => ssl.httpsPort));
    kernel.events.on('system.app.domain.added', (e) => void ssl.autoProvision((e.data as { domain: string }).domain));
    // A domain that no longer serves an app (removed, or its app deleted) keeps no certificate.
    kernel.events.on('system.app.domain.removed', (e) => ssl.dropFor((e.data as { domain: string }).domain));
    // <slug>.<own public domain>: certified with the app, dropped with it (unless a wildcard covers them).
    kernel.events.on('system.app.created', (e) => void ssl.autoProvisionApp((e.data as { slug: string }).slug));
    kernel.events.on('system.app.deleted', (e) => ssl.dropFor(`${(e.data as { slug: string }).slug}.${kernel.config.domain}`));
  },
  async start(kernel) {
    const ssl = kernel.services.ssl;
    kernel.services.pulse?.certProviders.push(() => ssl.certInfos());
    const port = ssl.settings.httpsPort;
    if (port === undefined) return;
    const defaults = await ssl.load();
    const server = createHttpsServer(kernel, ssl.sni, defaults, (name) => ssl.onDemand(name));
    try {
      ssl.httpsPort = await listenHttps(server, port, kernel.config.host);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'EACCES' ? 'needs privileges (run as root or grant CAP_NET_BIND_SERVICE)' : e.code === 'EADDRINUSE' ? 'is in use' : e.message;
      // An HTTPS port nobody asked for (the public default, 443) must not stop the server.
      if (kernel.config.extra['ssl.httpsPort'] === undefined) {
        process.emitWarning(`HTTPS is off: port ${port} on ${kernel.config.host} ${why}. Choose one with --https-port.`);
        return;
      }
      throw new Error(`Cannot listen for HTTPS on ${kernel.config.host}:${port}: the port ${why}.`);
    }
    ssl.listener = server;
    ssl.scheduler.arm();
    // Once the HTTP port answers (HTTP-01 and the "points here" probe need it).
    void kernel.started.then(() => ssl.autoProvisionOwn());
  },
  async stop(kernel) {
    kernel.services.ssl?.scheduler.stop();
    const l = kernel.services.ssl?.listener;
    if (kernel.services.ssl) kernel.services.ssl.listener = undefined;
    if (l) await closeHttps(l, 2_000);
  },
};
