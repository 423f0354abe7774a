import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactOutbound } from './redact-outbound.js';

const TOKEN = 'fzt_0123456789ab_' + 'A'.repeat(20) + 'bC3dE5fG7hI9jK1lM2nO3pQ';

const CASES: { name: string; input: string; opts?: Parameters<typeof redactOutbound>[1]; gone: string[]; kept?: string[] }[] = [
  { name: 'a fazt token in a sentence', input: `use ${TOKEN} to deploy`, gone: [TOKEN], kept: ['use', 'to deploy'] },
  { name: 'an Anthropic key', input: 'key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123', gone: ['sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123'] },
  { name: 'an OpenAI project key', input: 'OPENAI=sk-proj-Zx9Qw8Er7Ty6Ui5Op4As3Df2', gone: ['sk-proj-Zx9Qw8Er7Ty6Ui5Op4As3Df2'] },
  { name: 'an AWS access key id', input: 'aws AKIAIOSFODNN7EXAMPLE here', gone: ['AKIAIOSFODNN7EXAMPLE'] },
  { name: 'a GitHub token', input: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', gone: ['ghp_abcdefghijklmnopqrstuvwxyz0123456789'] },
  { name: 'a password after password=', input: 'db password=Xk9#mQ2$vL7!pR4z ok', gone: ['Xk9#mQ2$vL7!pR4z'], kept: ['password=', 'ok'] },
  { name: 'a JSON secret field', input: '{"secret": "aB3dE5gH7jK9mN1pQ3sT"}', gone: ['aB3dE5gH7jK9mN1pQ3sT'] },
  { name: 'a bearer header', input: 'Authorization: Bearer q8W7e6R5t4Y3u2I1o0PzXc', gone: ['q8W7e6R5t4Y3u2I1o0PzXc'] },
  { name: 'a private key block', input: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', gone: ['MIIE'] },
  { name: 'a known secret value anywhere', input: 'the hook is at https://x/hunter2-hook', opts: { secrets: ['hunter2-hook'] }, gone: ['hunter2-hook'] },
  { name: 'plain words after token are kept', input: 'the token expired yesterday afternoon', gone: [], kept: ['the token expired yesterday afternoon'] },
  { name: 'a low-entropy password word is kept', input: 'password: aaaaaaaaaa', gone: [], kept: ['aaaaaaaaaa'] },
  { name: 'e-mails only when asked', input: 'mail ops@example.com', opts: { emails: true }, gone: ['ops@example.com'] },
  { name: 'e-mails kept by default', input: 'mail ops@example.com', gone: [], kept: ['ops@example.com'] },
  { name: 'IPs only when asked', input: 'from 203.0.113.7 and 2001:db8::1:2:3', opts: { ips: true }, gone: ['203.0.113.7', '2001:db8::1:2:3'] },
  { name: 'metrics are untouched', input: 'memory 81% p99 420 ms errors 3/120', gone: [], kept: ['memory 81% p99 420 ms errors 3/120'] },
];

for (const c of CASES) {
  test(`outbound redaction: ${c.name}`, () => {
    const out = redactOutbound(c.input, c.opts);
    for (const g of c.gone) assert.ok(!out.includes(g), `${JSON.stringify(g)} still in ${JSON.stringify(out)}`);
    for (const k of c.kept ?? []) assert.ok(out.includes(k), `${JSON.stringify(k)} missing from ${JSON.stringify(out)}`);
    if (c.gone.length) assert.match(out, /\[redacted/);
  });
}
