import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { offloadedBodies } from '../../src/runtime/http/body-parser.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from './app-client.js';

// Answers with what it received, reduced to counts so big requests give small answers.
const COUNT = `const b = request.body && typeof request.body === 'object' ? request.body : {};
respond(200, { fields: Object.keys(b).length, query: Object.keys(request.query).length, files: request.files.length, first: b.f0, last: b.f999, tags: b.tag, raw: JSON.stringify(b).slice(0, 200) })`;

const form = (n: number, prefix = 'f') => Array.from({ length: n }, (_, i) => `${prefix}${i}=v${i}`).join('&');

function multipart(boundary: string, parts: { name: string; filename?: string; value: string; extraHeader?: string }[]): string {
  const lines: string[] = [];
  for (const p of parts) {
    lines.push(`--${boundary}`, `Content-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`);
    if (p.extraHeader) lines.push(p.extraHeader);
    if (p.filename) lines.push('Content-Type: text/plain');
    lines.push('', p.value);
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\r\n');
}

describe('runtime: request bodies are parsed within caps', () => {
  let s: TestServer;
  let small: TestServer;
  before(async () => {
    s = await startServer();
    assert.equal((await deploy(s, 'count', { 'api/main.js': COUNT })).status, 200);
    small = await startServer({ extra: { 'http.maxFormFields': '10', 'http.maxJsonDepth': '5' } });
    assert.equal((await deploy(small, 'count', { 'api/main.js': COUNT })).status, 200);
  });
  after(async () => {
    await s.close();
    await small.close();
  });

  const post = (srv: TestServer, type: string, body: string, path = '/api/x') => appRequest(srv, 'count', path, { method: 'POST', headers: { 'content-type': type }, body });

  it('accepts a form of 1,000 fields with every field present', async () => {
    const r = await post(s, 'application/x-www-form-urlencoded', form(1000));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.fields, 1000);
    assert.equal(r.json.first, 'v0');
    assert.equal(r.json.last, 'v999');
  });

  it('refuses a form of 1,001 fields with a 400 naming the cap and its setting', async () => {
    const r = await post(s, 'application/x-www-form-urlencoded', form(1001));
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.code, 'BAD_INPUT');
    assert.match(r.json.error.message, /1000 fields/);
    assert.match(r.json.error.message, /http\.maxFormFields/);
    assert.equal(r.json.error.details.limit, 1000);
  });

  it('refuses a 100,000-field form (868 KB) the same way', async () => {
    const r = await post(s, 'application/x-www-form-urlencoded', form(100_000));
    assert.equal(r.status, 400, r.text.slice(0, 300));
    assert.match(r.json.error.message, /1000 fields/);
  });

  it('keeps repeated fields as arrays and a field named __proto__ as a plain field', async () => {
    const r = await post(s, 'application/x-www-form-urlencoded', 'tag=a&tag=b&tag=c&__proto__=x&&');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.tags, ['a', 'b', 'c']);
    assert.equal(r.json.fields, 2);
    assert.match(r.json.raw, /"__proto__":"x"/);
  });

  it('caps the query string the same way', async () => {
    const ok = await appRequest(s, 'count', `/api/x?${form(1000)}`);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.query, 1000);
    const bad = await appRequest(s, 'count', `/api/x?${form(1001)}`);
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.json.error.message, /query string has more than 1000 fields/);
  });

  it('takes the field cap from --set http.maxFormFields', async () => {
    assert.equal((await post(small, 'application/x-www-form-urlencoded', form(10))).json.fields, 10);
    const r = await post(small, 'application/x-www-form-urlencoded', form(11));
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /10 fields/);
  });

  it('caps multipart parts (fields and files together) and keeps repeated fields', async () => {
    const parts = Array.from({ length: 1000 }, (_, i) => (i % 2 ? { name: `f${i}`, value: `v${i}` } : { name: `file${i}`, filename: `a${i}.txt`, value: 'x' }));
    parts[0] = { name: 'f0', value: 'v0' };
    const ok = await post(s, 'multipart/form-data; boundary=BB', multipart('BB', parts));
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.fields + ok.json.files, 1000);
    assert.equal(ok.json.last, 'v999');
    const bad = await post(s, 'multipart/form-data; boundary=BB', multipart('BB', [...parts, { name: 'one', value: 'more' }]));
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.json.error.message, /more than 1000 parts/);
    const rep = await post(s, 'multipart/form-data; boundary=BB', multipart('BB', [{ name: 'tag', value: 'a' }, { name: 'tag', value: 'b' }, { name: 'tag', value: 'c' }]));
    assert.deepEqual(rep.json.tags, ['a', 'b', 'c']);
  });

  it('refuses multipart parts with oversized headers and over-long boundaries', async () => {
    const big = await post(s, 'multipart/form-data; boundary=BB', multipart('BB', [{ name: 'a', value: 'v', extraHeader: `X-Pad: ${'p'.repeat(20_000)}` }]));
    assert.equal(big.status, 400, big.text);
    assert.match(big.json.error.message, /headers longer than 8192 bytes/);
    const b = 'b'.repeat(71);
    const long = await post(s, `multipart/form-data; boundary=${b}`, multipart(b, [{ name: 'a', value: 'v' }]));
    assert.equal(long.status, 400, long.text);
    assert.match(long.json.error.message, /boundary.*70/);
  });

  it('accepts JSON nested 64 levels deep and refuses 65 with a 400 naming the cap', async () => {
    const nest = (d: number) => '['.repeat(d - 1) + '{"a":1}' + ']'.repeat(d - 1);
    const ok = await post(s, 'application/json', nest(64));
    assert.equal(ok.status, 200, ok.text);
    const bad = await post(s, 'application/json', nest(65));
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.json.error.code, 'BAD_INPUT');
    assert.match(bad.json.error.message, /nested deeper than 64 levels/);
    assert.match(bad.json.error.message, /http\.maxJsonDepth/);
  });

  it('refuses very deep JSON (100,000 levels) with the same 400, and brackets inside strings do not count', async () => {
    const deep = await post(s, 'application/json', '['.repeat(100_000) + ']'.repeat(100_000));
    assert.equal(deep.status, 400, deep.text.slice(0, 300));
    assert.match(deep.json.error.message, /nested deeper than 64 levels/);
    const str = await post(s, 'application/json', JSON.stringify({ f0: '[[[[[[{{{{{{"\\'.repeat(50) }));
    assert.equal(str.status, 200, str.text);
    assert.equal(str.json.fields, 1);
    const five = await post(small, 'application/json', '[[[[[1]]]]]');
    assert.equal(five.status, 200);
    const six = await post(small, 'application/json', '[[[[[[1]]]]]]');
    assert.equal(six.status, 400);
    assert.match(six.json.error.message, /deeper than 5 levels/);
  });

  it('parses big bodies off the main thread and hands them to the app intact', async () => {
    const before = offloadedBodies();
    const pad = 'é'.repeat(1024 * 1024);
    const json = await post(s, 'application/json', JSON.stringify({ f0: pad, f999: 'end', tag: [1, { a: [] }] }));
    assert.equal(json.status, 200, json.text.slice(0, 300));
    assert.equal(json.json.first.length, pad.length);
    assert.equal(json.json.last, 'end');
    assert.deepEqual(json.json.tags, [1, { a: [] }]);
    const formBody = await post(s, 'application/x-www-form-urlencoded', `f0=${encodeURIComponent(pad)}&tag=a&tag=b&f999=z`);
    assert.equal(formBody.status, 200);
    assert.equal(formBody.json.first, pad);
    assert.deepEqual(formBody.json.tags, ['a', 'b']);
    const tooMany = await post(s, 'application/x-www-form-urlencoded', `${form(1001)}&pad=${'p'.repeat(512 * 1024)}`);
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.json.error.message, /1000 fields/);
    assert.equal(offloadedBodies(), before + 3);
  });
});
