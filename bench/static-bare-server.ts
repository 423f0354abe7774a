/**
 * The baseline for static-throughput: a bare node:http server answering from
 * memory with the same bytes fazt serves. argv: port, then path=file pairs.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [portArg, ...pairs] = process.argv.slice(2);
const files = new Map<string, { body: Buffer; type: string }>();
for (const pair of pairs) {
  const [path, file] = pair.split('=');
  files.set(path, { body: readFileSync(file), type: path.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8' });
}

const server = createServer((req, res) => {
  const f = files.get(req.url ?? '/');
  if (!f) {
    res.writeHead(404);
    return res.end();
  }
  res.writeHead(200, { 'content-type': f.type, 'content-length': f.body.length });
  res.end(f.body);
});
server.keepAliveTimeout = 5_000;
server.listen(Number(portArg), '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : portArg}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
