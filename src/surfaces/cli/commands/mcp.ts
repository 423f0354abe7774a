import type { Server } from 'node:http';
import { flagString } from '../args.js';
import type { CliCommand } from '../command.js';
import { CliError } from '../context.js';

const USAGE = `fazt mcp start [--stdio | --port 3001] [options]

Serves fazt to AI clients over MCP (Model Context Protocol).

  --stdio                 speak MCP on stdin/stdout (Claude Desktop, Claude Code).
                          With a local data dir it talks to the running server
                          (DIR/client.json), or opens the database itself when no
                          server runs. Logs go to stderr only.
  --server URL --token T  bridge to a remote fazt server's /mcp, acting as token T
                          (with --stdio, or with --port: the listener then sends T
                          with every request, so keep it on loopback).
  --port N [--host H]     a standalone MCP listener (default 127.0.0.1) serving /mcp,
                          /mcp/apps/<slug> and /sse. Without --server it serves the
                          data dir: through the running server (DIR/client.json) or
                          from the database when no server runs. Clients
                          authenticate as on the main server's /mcp: send
                          Authorization: Bearer <token>.
  --tools apps,deploy     (stdio) only tools whose op name starts with these groups;
                          over HTTP ask for /mcp?tools=apps,deploy.
  --conformance --port N  serve the official conformance suite's fixtures
                          (unauthenticated, loopback only).
  --data DIR              data directory (default ~/.fazt; FAZT_DATA)
  --insecure-permissions  serve the data dir directly even if other users can read it

Claude Desktop: {"mcpServers": {"fazt": {"command": "fazt", "args": ["mcp", "start", "--stdio"]}}}
Claude Code:    claude mcp add fazt -- fazt mcp start --stdio
                claude mcp add --transport http fazt http://127.0.0.1:8080/mcp --header "Authorization: Bearer <token>"`;

function waitForSignal(onStop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => void onStop().finally(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}

/** Stop listening and drop open connections (event streams would otherwise hold the process). */
function closeNow(server: Server): void {
  server.close();
  server.closeAllConnections();
}

async function reachable(url: string): Promise<boolean> {
  try {
    const r = await fetch(new URL('/api/health', url), { signal: AbortSignal.timeout(1500) });
    return r.ok;
  } catch {
    return false;
  }
}

export const mcpStart: CliCommand = {
  words: ['mcp', 'start'],
  summary: 'Serve fazt over MCP (stdio, a standalone port, or the conformance fixtures)',
  usage: USAGE,
  flags: ['port', 'host', 'tools'],
  booleans: ['stdio', 'conformance', 'insecure-permissions'],
  async run(ctx) {
    const f = ctx.args.flags;
    const tools = flagString(f, 'tools');
    const portText = flagString(f, 'port');
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new CliError('--port must be 0-65535.', 2);
    const host = flagString(f, 'host') ?? '127.0.0.1';

    if (f.conformance === true) {
      if (port === undefined) throw new CliError('--conformance needs --port N.', 2);
      if (host !== '127.0.0.1' && host !== 'localhost') throw new CliError('--conformance listens on loopback only.', 2);
      const { conformanceListener } = await import('../../mcp/listener.js');
      const { server, endpoint } = conformanceListener();
      const p = await listen(server, port, '127.0.0.1');
      ctx.io.out(`fazt MCP conformance fixtures at http://127.0.0.1:${p}/mcp`);
      await waitForSignal(async () => {
        await endpoint.close();
        server.close();
      });
      return 0;
    }

    const { defaultDataDir } = await import('../../../kernel/config.js');
    const { readClientConfig } = await import('../../../server/client-config.js');
    const dataDir = flagString(f, 'data') ?? defaultDataDir();
    const server = flagString(f, 'server') || process.env.FAZT_URL || undefined;
    const token = flagString(f, 'token') || process.env.FAZT_TOKEN || undefined;
    const local = readClientConfig(dataDir);

    if (f.stdio === true) {
      const stdio = await import('../../mcp/stdio.js');
      if (server) {
        if (!token) throw new CliError('--server needs --token T (or FAZT_TOKEN).', 3);
        return (await (await stdio.bridgeStdio(server, token, tools)).closed, 0);
      }
      if (local && (await reachable(local.url))) {
        stdio.log(`bridging to the running server at ${local.url}`);
        return (await (await stdio.bridgeStdio(local.url, token ?? local.token, tools)).closed, 0);
      }
      const kernel = await openKernel(dataDir, f['insecure-permissions'] === true);
      const caller = await callerFor(kernel, token ?? local?.token);
      stdio.log(`no server running: serving ${dataDir} directly`);
      let handle: ReturnType<typeof stdio.serveKernelStdio>;
      try {
        handle = stdio.serveKernelStdio(kernel, caller, tools);
      } catch (err) {
        await kernel.stop();
        // An unknown --tools group is a usage error (exit 2), like a bad flag.
        if ((err as { code?: string }).code === 'BAD_INPUT') throw new CliError((err as Error).message, 2);
        throw err;
      }
      await new Promise<void>((resolve) => (process.stdin.once('end', resolve), process.stdin.once('close', resolve)));
      await handle.close();
      await kernel.stop();
      return 0;
    }

    if (port === undefined) throw new CliError(`Choose --stdio or --port N.\n\n${USAGE}`, 2);
    const listener = await import('../../mcp/listener.js');
    if (server) {
      if (!token) throw new CliError('--server needs --token T (or FAZT_TOKEN): the listener forwards every request with it.', 3);
      const http = listener.mcpForwardListener(server, token);
      const p = await listen(http, port, host);
      ctx.io.out(`fazt MCP at http://${host}:${p}/mcp  (bridging to ${server} with the given token)`);
      await waitForSignal(async () => closeNow(http));
      return 0;
    }
    if (flagString(f, 'token')) {
      throw new CliError('--token is only for bridging (--server URL --token T). Clients of this listener send their own Authorization: Bearer <token>, as on /mcp.', 2);
    }
    if (local && (await reachable(local.url))) {
      const http = listener.mcpForwardListener(local.url);
      const p = await listen(http, port, host);
      ctx.io.out(`fazt MCP at http://${host}:${p}/mcp  (through the running server at ${local.url})`);
      await waitForSignal(async () => closeNow(http));
      return 0;
    }
    const kernel = await openKernel(dataDir, f['insecure-permissions'] === true);
    const http = listener.mcpListener(kernel);
    const p = await listen(http, port, host);
    ctx.io.out(`fazt MCP at http://${host}:${p}/mcp  (data: ${dataDir})`);
    await waitForSignal(async () => {
      closeNow(http);
      await kernel.stop();
    });
    return 0;
  },
};

async function openKernel(dataDir: string, insecurePermissions: boolean) {
  const { checkDataDirPermissions } = await import('../../../server/data-dir.js');
  try {
    // Serving the data dir directly opens data.db and the master key: the same check as server start.
    checkDataDirPermissions(dataDir, insecurePermissions);
  } catch (err) {
    throw new CliError((err as Error).message, 1);
  }
  const { Kernel } = await import('../../../kernel/kernel.js');
  const { allModules } = await import('../../../kernel/modules.js');
  const kernel = new Kernel(allModules(), { dataDir, seedExample: false });
  await kernel.start();
  return kernel;
}

type K = Awaited<ReturnType<typeof openKernel>>;

/** The token from client.json or --token; without one, local file access means the owner. */
async function callerFor(kernel: K, token: string | undefined) {
  const { OWNER_CAPS, callerForToken } = await import('../../../auth/tokens.js');
  if (!token) return { kind: 'owner' as const, name: 'owner', caps: OWNER_CAPS, human: false };
  const v = kernel.tokens.verify(token);
  if (!v.ok) throw new CliError(`The token is not valid for ${kernel.config.dataDir} (${v.reason}).`, 3);
  return callerForToken(v.info);
}
