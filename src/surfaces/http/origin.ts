import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Kernel } from '../../kernel/kernel.js';

/**
 * The origin a client used to reach this server: the configured public URL when
 * the request came by its host (TLS may end at a proxy in front), otherwise the
 * scheme of this connection and the Host header. OAuth metadata, the issuer and
 * the resource name are all built from it, so they agree with what the client typed.
 */
export function requestOrigin(kernel: Kernel, req: IncomingMessage): string {
  const host = req.headers.host ?? `${kernel.config.host}:${kernel.config.port}`;
  const pub = kernel.config.publicUrl ? new URL(kernel.config.publicUrl) : undefined;
  if (pub && pub.host === host.toLowerCase()) return pub.origin;
  const tls = (req.socket as TLSSocket).encrypted === true;
  return `${tls ? 'https' : 'http'}://${host}`;
}
