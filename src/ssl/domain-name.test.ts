import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpError } from '../kernel/ops/errors.js';
import { isPrivateName, nameCovers, normalizeDomain } from './domain-name.js';

test('normalizeDomain lower-cases, drops the root dot, and names what is wrong', () => {
  assert.equal(normalizeDomain(' Photos.Example.COM. '), 'photos.example.com');
  assert.equal(normalizeDomain('*.example.com', { wildcard: true }), '*.example.com');
  assert.equal(normalizeDomain('xn--bcher-kva.example'), 'xn--bcher-kva.example');
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['1.2.3.4', /IP addresses/],
    ['[2001:db8::1]', /IP addresses/],
    ['http://a.com', /without scheme/],
    ['a.com:443', /without scheme, port/],
    ['single', /two labels/],
    ['a..com', /label ''/],
    ['-x.com', /label '-x'/],
    ['x-.com', /label 'x-'/],
    ['*.example.com', /wildcards are not allowed/],
    ['a.*.com', /wildcards are not allowed|whole first label/],
    ['bücher.example', /punycode/],
    ['a.b.123', /all digits/],
    [`${'a'.repeat(64)}.com`, /label/],
    [`${'a.'.repeat(127)}com`, /253/],
  ];
  for (const [input, why] of cases) {
    assert.throws(() => normalizeDomain(input), (e: unknown) => e instanceof OpError && e.code === 'BAD_INPUT' && why.test(e.message), input);
  }
  assert.throws(() => normalizeDomain('a.*.com', { wildcard: true }), /whole first label/);
});

test('private names go to the local CA, public ones to ACME', () => {
  for (const d of ['localhost', 'x.localhost', 'shop.test', 'nas.local', 'printer.lan', 'x.home.arpa', 'a.internal', '*.dev.test']) assert.ok(isPrivateName(d), d);
  for (const d of ['example.com', 'photos.example.com', '*.example.org', 'test.com', 'localhost.example.com']) assert.ok(!isPrivateName(d), d);
});

test('a wildcard covers exactly one label', () => {
  assert.ok(nameCovers('*.example.com', 'a.example.com'));
  assert.ok(!nameCovers('*.example.com', 'a.b.example.com'));
  assert.ok(!nameCovers('*.example.com', 'example.com'));
  assert.ok(nameCovers('a.example.com', 'a.example.com'));
});
