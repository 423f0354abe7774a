import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plainPathname, Route } from './route.js';

const parsed = (t: string) => new URL(t, 'http://x').pathname;

test('plain paths: the pathname the URL parser would give, or undefined', () => {
  for (const t of ['/', '/index.html', '/a/b/', '/.well-known/x', '/a/.b/..c/...', "/a-b_c~d!$&'()*+,;=:@", '/x?y=1', '/?', '/a/b?c/../d']) {
    assert.equal(plainPathname(t), parsed(t), t);
  }
  for (const t of ['', '*', '//evil/x', 'http://h/x', '/a/../b', '/a/./b', '/a/..', '/.', '/..?x', '/%2e%2e/x', '/a%20b', '/a b', '/a\\b', '/é', '/a#b', '/a|b', '/a\tb']) {
    assert.equal(plainPathname(t), undefined, t);
  }
});

test('plain paths agree with the URL parser on random targets', () => {
  const alphabet = ['/', '/', '.', '.', 'a', 'Z', '0', '-', '_', '~', '%', '2e', '?', '#', '\\', ' ', '@', ':', ';', "'", '"', '|', '^', '[', ']', '{', '\t', 'é', '\u0000'];
  let seed = 1;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  for (let i = 0; i < 20000; i++) {
    let t = rand(10) === 0 ? '' : '/';
    for (let k = rand(12); k > 0; k--) t += alphabet[rand(alphabet.length)];
    const fast = plainPathname(t);
    if (fast !== undefined) assert.equal(fast, parsed(t), JSON.stringify(t));
  }
});

test('a route parses the URL and spells the request id only when asked, the same every time', () => {
  const r = new Route('/a?b=1', '/a', 'app', 'blog', 'abc', 35);
  assert.equal(r.requestId, 'abc-z');
  assert.equal(r.url.searchParams.get('b'), '1');
  assert.equal(r.url, r.url);
  assert.equal(r.path, r.url.pathname);
});
