import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_BODY_LIMITS } from '../../surfaces/http/body-limits.js';
import { OpError } from '../../kernel/ops/errors.js';
import { OFFLOAD_BYTES, offloadedBodies, parseBodyJson } from './body-parser.js';
import { parseBody } from './parse-body.js';

const big = (n: number) => 'x'.repeat(n);

describe('body parser', () => {
  it('parses small bodies in place and big ones in the worker, to the same result', async () => {
    const small = Buffer.from(JSON.stringify({ a: [1, 2, { b: 'c' }] }));
    const before = offloadedBodies();
    assert.equal(await parseBodyJson('application/json', small, DEFAULT_BODY_LIMITS), JSON.stringify(parseBody('application/json', small, DEFAULT_BODY_LIMITS)));
    assert.equal(offloadedBodies(), before);
    const cases: [string, Buffer][] = [
      ['application/json', Buffer.from(JSON.stringify({ pad: big(OFFLOAD_BYTES), list: [1, 'é', { deep: [[]] }] }))],
      ['application/x-www-form-urlencoded', Buffer.from(`a=1&a=2&__proto__=p&pad=${big(OFFLOAD_BYTES)}`)],
      ['multipart/form-data; boundary=QQ', Buffer.from(`--QQ\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n${big(OFFLOAD_BYTES)}\r\n--QQ\r\nContent-Disposition: form-data; name="t"\r\n\r\nhi\r\n--QQ--\r\n`)],
      ['text/plain', Buffer.from(big(OFFLOAD_BYTES))],
    ];
    for (const [type, raw] of cases) {
      assert.equal(await parseBodyJson(type, raw, DEFAULT_BODY_LIMITS), JSON.stringify(parseBody(type, raw, DEFAULT_BODY_LIMITS)), type);
    }
    assert.equal(offloadedBodies(), before + cases.length);
  });

  it('reports refusals from the worker as the same OpErrors', async () => {
    const fields = Buffer.from(Array.from({ length: 1001 }, (_, i) => `f${i}=${big(300)}`).join('&'));
    await assert.rejects(parseBodyJson('application/x-www-form-urlencoded', fields, DEFAULT_BODY_LIMITS), (err: unknown) => err instanceof OpError && err.code === 'BAD_INPUT' && /1000 fields/.test(err.message) && err.details?.limit === 1000);
    const deep = Buffer.from('['.repeat(OFFLOAD_BYTES) + ']'.repeat(OFFLOAD_BYTES));
    await assert.rejects(parseBodyJson('application/json', deep, DEFAULT_BODY_LIMITS), /nested deeper than 64/);
    const bad = Buffer.from(`{"pad": "${big(OFFLOAD_BYTES)}"`);
    await assert.rejects(parseBodyJson('application/json', bad, DEFAULT_BODY_LIMITS), /not valid JSON/);
  });
});
