/**
 * The baseline for https-throughput: a bare node:https server answering from
 * memory with the same bytes and the same certificate fazt serves.
 * argv: port, cert file, key file, then path=file pairs.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const [portArg, certFile, keyFile, ...pairs] = process.argv.slice(2);
const files = new Map<string, Buffer>();
for (const pair of pairs) {
  const [path, file] = pair.split('=');
  files.set(path, readFileSync(file));
}

const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) => {
  const body = files.get(req.url ?? '/');
  if (!body) {
    res.writeHead(404);
    return res.end();
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 5_000;
server.listen(Number(portArg), '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : portArg}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
