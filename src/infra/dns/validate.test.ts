import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quoteTxt, unquoteTxt, validRecord, validRecordName, validZoneName } from './validate.js';
import { fqdn, relative } from './names.js';

test('values are checked against their type and normalised', () => {
  assert.deepEqual(validRecord({ name: 'WWW', type: 'cname', value: 'Target.example.com.' }), { name: 'www', type: 'CNAME', value: 'Target.example.com', ttl: 300 });
  assert.deepEqual(validRecord({ name: '@', type: 'MX', value: 'mail.example.com', priority: 0 }), { name: '@', type: 'MX', value: 'mail.example.com', ttl: 300, priority: 0 });
  assert.equal(validRecord({ name: '@', type: 'CAA', value: '128 issuewild ";"' }).value, '128 issuewild ";"');
  assert.throws(() => validRecord({ name: '@', type: 'CAA', value: '256 issue "x"' }), /CAA/);
  assert.throws(() => validRecord({ name: '@', type: 'CNAME', value: 'x.example.com' }), /apex/);
  assert.throws(() => validRecord({ name: 'a', type: 'TXT', value: 'line\nbreak' }), /control characters/);
  assert.throws(() => validRecord({ name: 'a', type: 'A', value: '1.2.3.4', priority: 1 }), /MX records only/);
  assert.equal(validRecordName('*.apps'), '*.apps');
  assert.throws(() => validRecordName('apps.*'), /not a record name/);
  assert.equal(validZoneName('Example.COM.'), 'example.com');
  assert.throws(() => validZoneName('localhost'), /zone name/);
});

test('TXT quoting splits at 255 characters and round-trips escapes', () => {
  const long = 'x'.repeat(300) + '"q"\\';
  const q = quoteTxt(long);
  assert.equal(q.split('" "').length, 2);
  assert.equal(unquoteTxt(q), long);
  assert.equal(unquoteTxt('plain'), 'plain');
});

test('names convert between relative and full', () => {
  assert.equal(fqdn('@', 'example.com'), 'example.com');
  assert.equal(fqdn('www', 'example.com'), 'www.example.com');
  assert.equal(relative('WWW.Example.com.', 'example.com'), 'www');
  assert.equal(relative('example.com', 'example.com'), '@');
});
