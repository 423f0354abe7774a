import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCode } from '../../../test/helpers/op-error.js';
import { jsonDepth, parseJsonBody } from './json-body.js';

describe('json body', () => {
  it('measures nesting outside strings, escaped quotes included', () => {
    assert.equal(jsonDepth(Buffer.from('1'), 10), 0);
    assert.equal(jsonDepth(Buffer.from('{"a":[1,{"b":[]}]}'), 10), 4);
    assert.equal(jsonDepth(Buffer.from('{"a":"[[[\\"[[{{"}'), 10), 1);
    assert.equal(jsonDepth(Buffer.from('["é[", {"ü": ["ß"]}]'), 10), 3);
  });

  it('stops counting just past the cap', () => {
    assert.equal(jsonDepth(Buffer.from('['.repeat(1000)), 5), 6);
  });

  it('parses within the cap and refuses past it or malformed', () => {
    assert.deepEqual(parseJsonBody(Buffer.from('[[1]]'), 2), [[1]]);
    assert.equal(errorCode(() => parseJsonBody(Buffer.from('[[[1]]]'), 2)), 'BAD_INPUT');
    assert.equal(errorCode(() => parseJsonBody(Buffer.from('{"a":'), 2)), 'BAD_INPUT');
  });
});
