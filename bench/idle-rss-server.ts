/**
 * A fazt server in a child process for bench/idle-rss: started with
 * --expose-gc, it answers `{ rss }` to 'rss', collects garbage on 'gc'
 * first, and tells how many MCP sessions are open. Not a benchmark itself.
 */
import { bootServer } from '../src/server/boot.js';

const [dataDir, extraJson] = process.argv.slice(2);
const s = await bootServer({ port: 0, dataDir, seedExample: true, extra: JSON.parse(extraJson ?? '{}') });
const gc = (globalThis as { gc?: () => void }).gc;

/** Open MCP sessions; 0 while MCP is not loaded (it loads on the first MCP request). */
function sessionCount(): number {
  try {
    return s.kernel.services.mcp.endpoint.sessionCount;
  } catch {
    return 0;
  }
}

process.on('message', (m: string) => {
  if (m === 'gc') {
    // Twice: the first pass frees what finalizers release for the second.
    gc?.();
    gc?.();
  }
  if (m === 'stop') return void s.stop().then(() => process.exit(0));
  const { rss, heapUsed } = process.memoryUsage();
  process.send!({ rss, heap: heapUsed, sessions: sessionCount() });
});
process.send!({ url: s.url, token: s.ownerKey });
