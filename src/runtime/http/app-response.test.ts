import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SandboxError } from '../sandbox/errors.js';
import { responseHead } from './app-response.js';

const out = (status: number, headers: Record<string, string>, type: 'empty' | 'text' | 'json' | 'bytes' = 'text', body = 'hi') => ({ status, headers, type, body: Buffer.from(body) });
const none = () => false;

describe('app response head', () => {
  it("keeps every header fazt already set, whatever it is, as fazt's", () => {
    const fazts = new Set(['x-request-id', 'x-content-type-options']);
    const h = responseHead(out(200, { 'X-Content-Type-Options': 'none', 'x-request-id': 'forged', 'x-app': '1' }), (n) => fazts.has(n)).headers;
    assert.deepEqual({ ...h }, { 'x-app': '1', 'content-type': 'text/plain; charset=utf-8', 'content-length': '2' });
  });

  it('keeps the app content type, fills one in by body type, and gives 204/304 no body', () => {
    assert.equal(responseHead(out(200, { 'content-type': 'text/html' }), none).headers['content-type'], 'text/html');
    assert.equal(responseHead(out(200, {}, 'json', '{}'), none).headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(responseHead(out(200, {}, 'empty', ''), none).headers['content-type'], undefined);
    for (const status of [204, 304]) {
      const head = responseHead(out(status, { 'content-length': '9' }), none);
      assert.equal(head.hasBody, false);
      assert.equal(head.headers['content-length'], undefined);
    }
  });

  it('refuses non-final statuses, bad names and control characters in values as app errors', () => {
    for (const status of [100, 101, 199, 600, 1.5]) assert.throws(() => responseHead(out(status, {}), none), SandboxError);
    assert.throws(() => responseHead(out(200, { 'a b': 'x' }), none), /header name/);
    assert.throws(() => responseHead(out(200, { x: 'a\nb' }), none), /'x'/);
    assert.throws(() => responseHead(out(200, { x: 'a\u0000b' }), none), /control/);
    assert.throws(() => responseHead(out(200, { x: '\u20ac' }), none), /'x'/);
    assert.equal(responseHead(out(200, { x: 'caf\u00e9\tok' }), none).headers.x, 'caf\u00e9\tok');
  });
});
