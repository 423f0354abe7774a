import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkValue, txtChunks } from './record-values.js';
import { nextSerial } from './serial.js';

test('values are stored in one canonical form per type', () => {
  assert.deepEqual(checkValue('AAAA', '2001:DB8::1'), { value: '2001:db8::1' });
  assert.deepEqual(checkValue('CNAME', 'WWW.Example.COM.'), { value: 'www.example.com' });
  assert.deepEqual(checkValue('MX', '10 Mail.Example.com'), { value: 'mail.example.com', priority: 10 });
  assert.deepEqual(checkValue('MX', 'mail.example.com', 0), { value: 'mail.example.com', priority: 0 });
  assert.throws(() => checkValue('MX', '10 mail.example.com', 20), /priority 10 but priority is 20/);
  assert.deepEqual(checkValue('CAA', '0 ISSUE letsencrypt.org'), { value: '0 issue "letsencrypt.org"' });
  assert.deepEqual(checkValue('CAA', '128 iodef "mailto:sec@example.com"'), { value: '128 iodef "mailto:sec@example.com"' });
  assert.throws(() => checkValue('CAA', '256 issue "x"'), /0-255/);
});

test('TXT is cut into 255-byte strings on the wire', () => {
  assert.deepEqual(txtChunks('abc').map((b) => b.length), [3]);
  assert.deepEqual(txtChunks('x'.repeat(510)).map((b) => b.length), [255, 255]);
  assert.deepEqual(txtChunks('x'.repeat(511)).map((b) => b.length), [255, 255, 1]);
});

test('serials: YYYYMMDDnn, always moving up', () => {
  const day = new Date('2026-11-29T10:00:00Z');
  assert.equal(nextSerial(0, day), 2026112900);
  assert.equal(nextSerial(2026112900, day), 2026112901);
  assert.equal(nextSerial(2026112999, day), 2026113000);
  assert.equal(nextSerial(2026112905, new Date('2026-11-30T00:00:00Z')), 2026113000);
  // A serial someone set far ahead keeps counting from there.
  assert.equal(nextSerial(3000000000, day), 3000000001);
});
