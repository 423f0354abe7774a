import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimits, retryAfterSeconds } from './rate-limits.js';

test('rate-limit headers are read in the Hetzner/DigitalOcean and the Cloudflare forms', () => {
  const r = new RateLimits();
  const now = Math.floor(Date.now() / 1000);
  r.observe('hetzner', 200, new Headers({ 'ratelimit-limit': '3600', 'ratelimit-remaining': '3599', 'ratelimit-reset': String(now + 10) }));
  r.observe('cloudflare', 200, new Headers({ ratelimit: '"default";r=40;t=20', 'ratelimit-policy': '"default";q=1200;w=300' }));
  r.observe('cloudflare', 429, new Headers({ 'retry-after': '7' }));
  r.observe('porkbun', 200, new Headers({}));
  const all = r.all();
  assert.deepEqual([all.hetzner.limit, all.hetzner.remaining, all.hetzner.resetAt], [3600, 3599, new Date((now + 10) * 1000).toISOString()]);
  assert.deepEqual([all.cloudflare.limit, all.cloudflare.remaining, all.cloudflare.throttled, all.cloudflare.lastRetryAfter], [1200, 40, 1, 7]);
  assert.equal(all.porkbun, undefined, 'a provider that says nothing is not shown');
});

test('Retry-After is read as seconds or a date, else from the reset header', () => {
  const now = Date.now();
  assert.equal(retryAfterSeconds(new Headers({ 'retry-after': '3' }), now), 3);
  assert.equal(retryAfterSeconds(new Headers({ 'retry-after': new Date(now + 5000).toUTCString() }), now), 5);
  assert.equal(retryAfterSeconds(new Headers({ 'ratelimit-reset': String(Math.floor(now / 1000) + 9) }), now) >= 8, true);
  assert.equal(retryAfterSeconds(new Headers({}), now), 1);
});
