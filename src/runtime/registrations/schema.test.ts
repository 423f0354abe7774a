import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OpError } from '../../kernel/ops/errors.js';
import { checkToolName, toJsonSchema, validate } from './schema.js';
import { checkTemplate, compileTemplate } from './uri-template.js';

describe('app tool schemas', () => {
  it('converts the shorthand to JSON Schema', () => {
    assert.deepEqual(toJsonSchema({ title: 'string', body: 'string', limit: 'number?', tags: 'string[]?' }, 't'), {
      type: 'object',
      properties: { title: { type: 'string' }, body: { type: 'string' }, limit: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['title', 'body'],
      additionalProperties: false,
    });
    assert.deepEqual(toJsonSchema(undefined, 't'), { type: 'object', properties: {} });
  });

  it('keeps a JSON Schema object and rejects bad specs', () => {
    const s = { type: 'object', properties: { n: { type: 'integer', enum: [1, 2] } }, required: ['n'] };
    assert.deepEqual(toJsonSchema(s, 't'), s);
    assert.throws(() => toJsonSchema({ title: 'text' }, "tool 'x'"), (e: OpError) => e.code === 'BAD_INPUT' && /field 'title' has type 'text'/.test(e.message));
    assert.throws(() => toJsonSchema({ type: 'object', properties: { a: { type: 'float' } } }, 't'), /unknown JSON Schema type/);
    assert.throws(() => toJsonSchema('string', 't'), /input must be an object/);
  });

  it('validates args and names the field', () => {
    const s = toJsonSchema({ title: 'string', limit: 'number?', tags: 'string[]?' }, 't');
    assert.deepEqual(validate(s, { title: 'a', limit: 3 }), []);
    assert.deepEqual(validate(s, {}), ['title is required']);
    assert.deepEqual(validate(s, { title: 1 }), ['title must be string, got number']);
    assert.deepEqual(validate(s, { title: 'a', tags: ['x', 2] }), ['tags[1] must be string, got number']);
    assert.deepEqual(validate(s, { title: 'a', extra: 1 }), ['extra is not an accepted field']);
    assert.deepEqual(validate({ type: 'object', properties: { n: { type: 'integer', enum: [1, 2] } } }, { n: 3 }), ['n must be one of 1, 2']);
  });

  it('checks tool names as MCP will see them', () => {
    assert.equal(checkToolName('posts.create'), 'posts_create');
    assert.throws(() => checkToolName('posts create'), (e: OpError) => e.code === 'BAD_INPUT' && /Invalid tool name 'posts create'/.test(e.message));
    assert.throws(() => checkToolName('x'.repeat(65)), /Invalid tool name/);
    assert.throws(() => checkToolName(''), /Invalid tool name/);
    assert.throws(() => checkToolName('héllo'), /Invalid tool name/);
  });

  it('matches resource templates', () => {
    const m = compileTemplate('posts://{id}');
    assert.deepEqual(m('posts://42'), { id: '42' });
    assert.equal(m('posts://42/x'), null);
    assert.equal(m('other://42'), null);
    assert.deepEqual(compileTemplate('notes://{user}/{id}')('notes://a%20b/7'), { user: 'a b', id: '7' });
    assert.throws(() => checkTemplate('no scheme {id}'), /Invalid resource template/);
  });
});
