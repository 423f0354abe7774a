import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientAddressKey } from './http-util.js';

describe('clientAddressKey', () => {
  it('keys IPv4 by address and IPv6 by its /64', () => {
    assert.equal(clientAddressKey('203.0.113.7'), '203.0.113.7');
    assert.equal(clientAddressKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(clientAddressKey('2001:db8:0:1::5'), '2001:db8:0:1::/64');
    assert.equal(clientAddressKey('2001:0db8:0000:0001:ffff:1:2:3'), '2001:db8:0:1::/64');
    assert.equal(clientAddressKey('::1'), '0:0:0:0::/64');
    assert.equal(clientAddressKey(undefined), 'unknown');
  });
});
