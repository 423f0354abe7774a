/** The URL a local client uses for a server listening on host:port (a wildcard address means this machine). */
export function serverUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}
