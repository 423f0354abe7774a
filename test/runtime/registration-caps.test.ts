import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { deploy } from './app-client.js';

const tools = (n: number, extra = '') => `for (let i = 0; i < ${n}; i++) fazt.mcp.tool("t" + i, { description: "tool " + i${extra}, handler: () => i });\nexport default () => ({ body: 1 })`;
const resources = (n: number) => `for (let i = 0; i < ${n}; i++) fazt.mcp.resource("app://r" + i, { description: "r", handler: () => "x" });\nexport default () => ({ body: 1 })`;

describe('an app registers a bounded number of tools and resources', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('64 tools deploy; 65 fail the deploy with an error naming the cap and the count, and the previous version keeps serving', async () => {
    assert.equal((await deploy(s, 'many', { 'api/main.js': tools(64) })).status, 200);
    assert.equal((await s.op('apps.tools.list', { app: 'many' })).body.tools.length, 64);
    const r = await deploy(s, 'many', { 'api/main.js': tools(65) });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.error.message, /65 tools.*at most 64/);
    assert.equal((await s.op('apps.tools.list', { app: 'many' })).body.tools.length, 64);
  });

  it('5,000 tools fail the deploy and the owner tool list stays small', async () => {
    const r = await deploy(s, 'flood', { 'api/main.js': tools(5000) });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /5000 tools.*at most 64/);
  });

  it('resources have the same cap', async () => {
    const r = await deploy(s, 'res', { 'api/main.js': resources(65) });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.error.message, /65 resources.*at most 64/);
  });

  it('a tool description or input schema too large fails the deploy, naming the tool and the limit', async () => {
    const long = await deploy(s, 'wordy', { 'api/main.js': tools(1, ' + "x".repeat(5000)') });
    assert.equal(long.status, 400, JSON.stringify(long.body));
    assert.match(long.body.error.message, /Tool 't0'.*description.*2048 bytes/);
    const fields = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`field${i}`, 'string?']));
    const big = await deploy(s, 'wordy', { 'api/main.js': `fazt.mcp.tool("big", { description: "d", input: ${JSON.stringify(fields)}, handler: () => 1 });\nexport default () => ({ body: 1 })` });
    assert.equal(big.status, 400, JSON.stringify(big.body));
    assert.match(big.body.error.message, /Tool 'big'.*input schema.*16384 bytes/);
    const res = await deploy(s, 'wordy', { 'api/main.js': 'fazt.mcp.resource("app://r", { description: "x".repeat(5000), handler: () => "x" });\nexport default () => ({ body: 1 })' });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(res.body.error.message, /Resource 'app:\/\/r'.*description.*2048 bytes/);
    const mime = await deploy(s, 'wordy', { 'api/main.js': 'fazt.mcp.resource("app://m", { description: "d", mimeType: "text/" + "x".repeat(300), handler: () => "x" });\nexport default () => ({ body: 1 })' });
    assert.equal(mime.status, 400, JSON.stringify(mime.body));
    assert.match(mime.body.error.message, /Resource 'app:\/\/m'.*mimeType.*255/);
  });
});

describe('the caps are server settings', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ extra: { 'runtime.maxTools': '3' } });
  });
  after(() => s.close());

  it('runtime.maxTools=3 lets 3 tools deploy and refuses 4', async () => {
    assert.equal((await deploy(s, 'few', { 'api/main.js': tools(3) })).status, 200);
    const r = await deploy(s, 'few', { 'api/main.js': tools(4) });
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /4 tools.*at most 3.*runtime\.maxTools/);
  });
});
