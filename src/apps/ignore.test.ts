import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isIgnored, parseIgnore } from './ignore.js';

it('.faztignore patterns behave like gitignore', () => {
  const rules = parseIgnore('# comment\n\n*.log\n/build/\ndocs/**/*.tmp\ncache/\n!keep.log\nsecret?.txt\n');
  const cases: [string, boolean, boolean][] = [
    ['a.log', false, true],
    ['deep/x/a.log', false, true],
    ['keep.log', false, false],
    ['build', true, true],
    ['build', false, false],
    ['src/build', true, false],
    ['docs/a/b/c.tmp', false, true],
    ['docs/c.tmp', false, true],
    ['other/c.tmp', false, false],
    ['x/cache', true, true],
    ['secret1.txt', false, true],
    ['secret12.txt', false, false],
    ['index.html', false, false],
  ];
  for (const [path, dir, expected] of cases) assert.equal(isIgnored(rules, path, dir), expected, path);
});
