import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressBytes, cidrContains, isLoopback, parseCidr, parseCidrList } from './cidr.js';

test('IPv4 ranges match by prefix, single addresses are /32', () => {
  const r = parseCidr('10.1.0.0/16');
  assert.ok(cidrContains(r, '10.1.200.3'));
  assert.ok(!cidrContains(r, '10.2.0.1'));
  assert.ok(cidrContains(parseCidr('192.168.1.128/25'), '192.168.1.200'));
  assert.ok(!cidrContains(parseCidr('192.168.1.128/25'), '192.168.1.127'));
  assert.ok(cidrContains(parseCidr('203.0.113.9'), '203.0.113.9'));
  assert.ok(!cidrContains(parseCidr('203.0.113.9'), '203.0.113.10'));
  assert.ok(cidrContains(parseCidr('0.0.0.0/0'), '8.8.8.8'));
});

test('IPv6 ranges match, and IPv4-mapped peers are judged as IPv4', () => {
  const r = parseCidr('fd00:abcd::/32');
  assert.ok(cidrContains(r, 'fd00:abcd:1::5'));
  assert.ok(!cidrContains(r, 'fd00:abce::1'));
  assert.ok(cidrContains(parseCidr('::1'), '::1'));
  assert.ok(cidrContains(parseCidr('10.0.0.0/8'), '::ffff:10.9.8.7'));
  assert.ok(!cidrContains(parseCidr('fd00::/8'), '10.0.0.1'));
  assert.deepEqual([...addressBytes('::ffff:1.2.3.4')!], [1, 2, 3, 4]);
  assert.deepEqual([...addressBytes('2001:db8::1.2.3.4')!].slice(12), [1, 2, 3, 4]);
});

test('malformed ranges are refused with a message naming what is valid', () => {
  for (const bad of ['', 'nonsense', '10.0.0/8', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/-1', '10.0.0.0/8/1', '::ffff:1.2.3.4/8x', 'fe80::1/ab']) {
    assert.throws(() => parseCidr(bad), /CIDR such as 10\.0\.0\.0\/8|prefix length/, bad);
  }
  assert.throws(() => parseCidr('10.0.0.0/33'), /\/0 to \/32/);
  assert.throws(() => parseCidr('fd00::/200'), /\/0 to \/128/);
  assert.deepEqual(parseCidrList(['10.0.0.0/8, fd00::/8', '127.0.0.1']).map((c) => c.text), ['10.0.0.0/8', 'fd00::/8', '127.0.0.1']);
});

test('loopback is 127/8 and ::1, also IPv4-mapped; nothing else', () => {
  for (const a of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) assert.ok(isLoopback(a), a);
  for (const a of ['10.0.0.1', '::2', '::ffff:10.0.0.1', 'fe80::1', undefined, 'garbage']) assert.ok(!isLoopback(a), String(a));
});
