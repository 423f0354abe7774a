// fazt's stdio MCP surface without the kernel: the conformance fixture served the way
// `fazt mcp start --stdio` serves mcp.kernel, so bench/mcp-latency can split surface from op cost.
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { conformanceCatalog } from '../src/surfaces/mcp/conformance-fixture.js';
import { buildServer } from '../src/surfaces/mcp/server-factory.js';

serveStdio(() => buildServer({ catalog: conformanceCatalog(), sessionId: () => 'stdio', subscriptions: new Set() }));
