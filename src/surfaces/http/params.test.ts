import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCode } from '../../../test/helpers/op-error.js';
import { paramsToObject } from './params.js';

describe('params', () => {
  it('decodes like URLSearchParams, repeated names become arrays', () => {
    const p = paramsToObject('?a=1&b=x+y&b=%C3%A9&&c&b=3', 10, 'query string');
    assert.deepEqual({ ...p }, { a: '1', b: ['x y', 'é', '3'], c: '' });
  });

  it('keeps __proto__ and constructor as plain fields', () => {
    const p = paramsToObject('__proto__=x&constructor=y', 10, 'form body');
    assert.equal(Object.getPrototypeOf(p), null);
    assert.equal(p['__proto__'], 'x');
    assert.equal(JSON.stringify(p), '{"__proto__":"x","constructor":"y"}');
  });

  it('counts non-empty fields only, and refuses one past the cap', () => {
    assert.equal(Object.keys(paramsToObject('&&a=1&&b=2&&', 2, 'form body')).length, 2);
    assert.equal(Object.keys(paramsToObject('a&a&a', 3, 'form body')).length, 1);
    assert.equal(errorCode(() => paramsToObject('a&a&a&a', 3, 'form body')), 'BAD_INPUT');
  });
});
