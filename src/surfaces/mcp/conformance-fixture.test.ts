import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { decodeParamValue } from './conformance-headers.js';
import { conformanceListener } from './listener.js';

const V = '2026-07-28';
const CAPS = { sampling: {}, elicitation: {}, roots: {} };
let url = '';
let id = 1;

interface Rpc {
  status: number;
  body: { result?: Record<string, unknown>; error?: { code: number; message: string; data?: Record<string, unknown> } };
}

/** One 2026-era request, the way a stateless client sends it. */
async function rpc(method: string, params: Record<string, unknown>, opts: { caps?: object; headers?: Record<string, string> } = {}): Promise<Rpc> {
  const name = typeof params.name === 'string' ? params.name : undefined;
  const meta = { 'io.modelcontextprotocol/protocolVersion': V, 'io.modelcontextprotocol/clientCapabilities': opts.caps ?? CAPS };
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json', accept: 'application/json, text/event-stream',
      'mcp-protocol-version': V, 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}), ...opts.headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: id++, method, params: { ...params, _meta: meta } }),
  });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('text/event-stream')
    ? text.split('\n').filter((l) => l.startsWith('data:')).map((l) => JSON.parse(l.slice(5))).find((m) => 'result' in m || 'error' in m)
    : JSON.parse(text);
  return { status: res.status, body: json };
}

describe('conformance fixture server', () => {
  const { server, endpoint } = conformanceListener();
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  });
  after(async () => {
    await endpoint.close();
    await new Promise((r) => server.close(r));
  });

  it('asks with input_required, then completes when the answer comes back', async () => {
    const first = await rpc('tools/call', { name: 'test_input_required_result_elicitation', arguments: {} });
    assert.equal(first.body.result?.resultType, 'input_required');
    const req = (first.body.result?.inputRequests as Record<string, { method: string }>).user_name;
    assert.equal(req.method, 'elicitation/create');
    const second = await rpc('tools/call', { name: 'test_input_required_result_elicitation', arguments: {}, inputResponses: { user_name: { action: 'accept', content: { name: 'Alice' } } } });
    assert.deepEqual(second.body.result?.content, [{ type: 'text', text: 'Hello, Alice!' }]);
  });

  it('asks again when the retry carries the wrong key', async () => {
    const r = await rpc('tools/call', { name: 'test_input_required_result_elicitation', arguments: {}, inputResponses: { other: { action: 'accept', content: {} } } });
    assert.equal(r.body.result?.resultType, 'input_required');
  });

  it('walks two rounds with fresh state each time, and refuses tampered state', async () => {
    const name = 'test_input_required_result_multi_round';
    const r1 = await rpc('tools/call', { name, arguments: {} });
    const s1 = r1.body.result?.requestState as string;
    assert.equal(typeof s1, 'string');
    const r2 = await rpc('tools/call', { name, arguments: {}, requestState: s1, inputResponses: { step1: { action: 'accept', content: { name: 'Alice' } } } });
    const s2 = r2.body.result?.requestState as string;
    assert.ok(s2 && s2 !== s1);
    const r3 = await rpc('tools/call', { name, arguments: {}, requestState: s2, inputResponses: { step2: { action: 'accept', content: { color: 'blue' } } } });
    assert.deepEqual(r3.body.result?.content, [{ type: 'text', text: 'Alice likes blue' }]);
    const bad = await rpc('tools/call', { name, arguments: {}, requestState: s2 + 'x', inputResponses: { step2: { action: 'accept', content: { color: 'red' } } } });
    assert.equal(bad.body.error?.code, -32602);
  });

  it('asks only for what the client declared, and rejects a call that needs an undeclared capability', async () => {
    const r = await rpc('tools/call', { name: 'test_input_required_result_capabilities', arguments: {} }, { caps: { sampling: {} } });
    assert.deepEqual(Object.keys(r.body.result?.inputRequests as object), ['capital_question']);
    const missing = await rpc('tools/call', { name: 'test_missing_capability', arguments: {} }, { caps: {} });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error?.code, -32021);
    assert.deepEqual(missing.body.error?.data?.requiredCapabilities, { sampling: {} });
  });

  it('returns input_required from prompts/get too', async () => {
    const r = await rpc('prompts/get', { name: 'test_input_required_result_prompt' });
    assert.equal(r.body.result?.resultType, 'input_required');
    const done = await rpc('prompts/get', { name: 'test_input_required_result_prompt', inputResponses: { user_context: { action: 'accept', content: { context: 'tests' } } } });
    assert.ok(Array.isArray(done.body.result?.messages));
  });

  it('checks Mcp-Param headers against the arguments', async () => {
    const call = { name: 'test_custom_header', arguments: { region: 'Hello' } };
    const b64 = `=?base64?${Buffer.from('Hello').toString('base64')}?=`;
    assert.equal((await rpc('tools/call', call, { headers: { 'mcp-param-region': b64 } })).status, 200);
    assert.equal((await rpc('tools/call', call, { headers: { 'mcp-param-region': 'Hello' } })).status, 200);
    const bad: Record<string, string>[] = [{ 'mcp-param-region': 'Bye' }, { 'mcp-param-region': '=?base64?SGVsbG8?=' }, {}];
    for (const headers of bad) {
      const r = await rpc('tools/call', call, { headers });
      assert.equal(r.status, 400, JSON.stringify(headers));
      assert.equal(r.body.error?.code, -32020);
    }
  });
});

describe('decodeParamValue', () => {
  it('decodes canonical Base64 only inside the sentinel', () => {
    assert.equal(decodeParamValue('=?base64?SGVsbG8=?='), 'Hello');
    assert.equal(decodeParamValue('SGVsbG8='), 'SGVsbG8=');
    assert.equal(decodeParamValue('=?base64?SGVsbG8='), '=?base64?SGVsbG8=');
    assert.equal(decodeParamValue('=?base64?SGVs!!!bG8=?='), undefined);
    assert.equal(decodeParamValue('=?base64?SGVsbG8?='), undefined);
    assert.equal(decodeParamValue('=?base64?/w==?='), undefined);
  });
});
