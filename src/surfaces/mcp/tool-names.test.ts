import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { allModules } from '../../kernel/modules.js';
import { defineOp } from '../../kernel/ops/define.js';
import { originAllowed, parseMessage } from './http-util.js';
import { inGroups, parseToolGroups, TOOL_NAME_RE, toolNameFor, toolNameMap } from './tool-names.js';

const op = (name: string) => defineOp({ name, title: name, description: name, input: z.object({}), output: z.object({}), requires: 'kernel:*', risk: 'read', handler: () => ({}) });

describe('MCP tool names', () => {
  it('every registered op becomes a valid, unique tool name', () => {
    const ops = allModules().flatMap((m) => m.ops ?? []);
    const map = toolNameMap(ops);
    assert.equal(map.size, ops.length);
    for (const name of map.keys()) assert.match(name, TOOL_NAME_RE);
    assert.equal(toolNameFor('deploy.rollback'), 'deploy_rollback');
  });

  it('fails loudly on collisions and on names clients would reject', () => {
    assert.throws(() => toolNameMap([op('a.b'), op('a_b')]), /produced by both/);
    assert.throws(() => toolNameMap([op('x'.repeat(65))]), /does not match/);
  });

  it('tool sets narrow by op-name prefix group', () => {
    const g = parseToolGroups('apps, deploy');
    assert.ok(inGroups('apps.list', g));
    assert.ok(inGroups('deploy', g));
    assert.ok(inGroups('deploy.rollback', g));
    assert.ok(!inGroups('halt.status', g));
    assert.ok(!inGroups('appsx.list', g));
    assert.equal(parseToolGroups(''), undefined);
  });
});

describe('MCP HTTP guards', () => {
  it('allows loopback and the configured domain, refuses other origins', () => {
    assert.ok(originAllowed(undefined, 'example.com'));
    assert.ok(originAllowed('http://localhost:5173', 'example.com'));
    assert.ok(originAllowed('https://admin.example.com', 'example.com'));
    assert.ok(!originAllowed('https://example.com.evil.net', 'example.com'));
    assert.ok(!originAllowed('http://10.0.0.5', 'example.com'));
    assert.ok(!originAllowed('not a url', 'example.com'));
  });

  it('parses one JSON-RPC message and refuses batches', () => {
    assert.equal(parseMessage(Buffer.from('[]')).ok, false);
    const deep = parseMessage(Buffer.from(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":${'['.repeat(100)}${']'.repeat(100)}}}`));
    assert.equal(deep.ok, false);
    assert.match((deep as { message: string }).message, /nested deeper than 64 levels/);
    assert.equal(parseMessage(Buffer.from('{"jsonrpc":"2.0","method":"ping","id":1}')).ok, true);
    const bad = parseMessage(Buffer.from('{'));
    assert.ok(!bad.ok && bad.code === -32700);
  });
});
