import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyHost, HostCache } from './host.js';

test('hosts: bare domain, IPs and localhost are the kernel host; admin.<domain> too; <slug>.<domain> an app', () => {
  assert.deepEqual(classifyHost('localhost:8080', 'localhost'), { hostKind: 'kernel', slug: 'root' });
  assert.deepEqual(classifyHost('127.0.0.1:8080', 'localhost'), { hostKind: 'kernel', slug: 'root' });
  assert.deepEqual(classifyHost('[::1]:8080', 'localhost'), { hostKind: 'kernel', slug: 'root' });
  assert.deepEqual(classifyHost(undefined, 'localhost'), { hostKind: 'kernel', slug: 'root' });
  assert.deepEqual(classifyHost('admin.example.com', 'example.com'), { hostKind: 'kernel', slug: 'admin' });
  assert.deepEqual(classifyHost('Photos.Example.com:443', 'example.com'), { hostKind: 'app', slug: 'photos' });
  assert.deepEqual(classifyHost('blog.localhost:8080', 'example.com'), { hostKind: 'app', slug: 'blog' });
  assert.deepEqual(classifyHost('elsewhere.org', 'example.com'), { hostKind: 'app', slug: '' });
});

test('the host cache answers like classifyHost and stays bounded', () => {
  const c = new HostCache('localhost');
  for (const h of ['hello.localhost:8080', 'localhost', '127.0.0.1', 'x.y.z']) assert.deepEqual(c.classify(h), classifyHost(h, 'localhost'));
  for (let i = 0; i < 5000; i++) c.classify(`h${i}.localhost`);
  assert.ok((c as unknown as { seen: Map<string, unknown> }).seen.size <= 1000);
  assert.deepEqual(c.classify('h4999.localhost'), { hostKind: 'app', slug: 'h4999' });
});
