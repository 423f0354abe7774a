/**
 * The baseline for https-throughput: a bare node:https server answering from
 * memory with the same body bytes and the same certificate fazt serves.
 * argv: port, cert file, key file, then path=file pairs, and optionally
 * `--head=<json file>`: the header name/value pairs to send with every file (the
 * very headers fazt sent for it), instead of only content-type and length.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const [portArg, certFile, keyFile, ...rest] = process.argv.slice(2);
const headArg = rest.find((a) => a.startsWith('--head='));
const sameHead = headArg ? (JSON.parse(readFileSync(headArg.slice('--head='.length), 'utf8')) as string[]) : undefined;
const files = new Map<string, Buffer>();
for (const pair of rest.filter((a) => a !== headArg)) {
  const [path, file] = pair.split('=');
  files.set(path, readFileSync(file));
}

const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) => {
  const body = files.get(req.url ?? '/');
  if (!body) {
    res.writeHead(404);
    return res.end();
  }
  res.writeHead(200, sameHead ?? { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 5_000;
server.listen(Number(portArg), '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : portArg}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
