import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { appRequest, deploy } from '../runtime/app-client.js';
import { openaiServer, type ContractServer } from './contract-servers.js';

/** An app that asks a model and answers with what it got (or the error's name and message). */
const ASKER = `export default async (req) => {
  try {
    if (req.path.endsWith('/embed')) return await fazt.ai.embed(['one', 'two words']);
    const r = await fazt.ai.complete({ prompt: 'Summarise: ' + (req.query.q || 'nothing'), maxTokens: 50 });
    return { text: r.text, model: r.model, provider: r.provider, costUsd: r.costUsd };
  } catch (e) {
    return { status: 502, body: { error: e.name, message: e.message } };
  }
};`;
const KEY = 'sk-test-server-key-0123456789abcdef';
const APP_KEY = 'sk-app-own-key-fedcba9876543210';

for (const mode of ['worker threads', 'the main thread'] as const) {
  describe(`fazt.ai inside apps (${mode})`, () => {
    let s: TestServer;
    let model: ContractServer;
    const manifest = (ai: unknown) => JSON.stringify({ name: 'asker', ai });

    before(async () => {
      model = await openaiServer();
      s = await startServer(mode === 'the main thread' ? { extra: { 'runtime.workers': '0' } } : {});
      const set = await s.op('ai.providers.set', { provider: 'openai', apiKey: KEY, baseUrl: model.url, defaultModel: 'gpt-test' });
      assert.equal(set.status, 200, JSON.stringify(set.body));
    });
    after(async () => {
      await s.close();
      await model.close();
    });

    it('an app whose manifest does not ask gets AI_NOT_REQUESTED, and no request leaves', async () => {
      assert.equal((await deploy(s, 'plain', { 'api/main.js': ASKER })).status, 200);
      const r = await appRequest(s, 'plain', '/api/ask');
      assert.equal(r.status, 502);
      assert.equal(r.json.error, 'AI_NOT_REQUESTED');
      assert.equal(model.received.length, 0);
    });

    it('asking in the manifest is not enough: the deploy says so and calls fail until the owner grants in person', async () => {
      const d = await deploy(s, 'asker', { 'api/main.js': ASKER, 'manifest.json': manifest({ dailyUsd: 0.5 }) });
      assert.equal(d.status, 200, JSON.stringify(d.body));
      assert.ok(d.body.notices.some((n: string) => /fazt apps ai grant asker/.test(n)), JSON.stringify(d.body.notices));
      const r = await appRequest(s, 'asker', '/api/ask');
      assert.equal(r.json.error, 'AI_NOT_GRANTED');
      const byKeyAlone = await s.op('apps.ai.grant', { app: 'asker' });
      assert.equal(byKeyAlone.status, 403, JSON.stringify(byKeyAlone.body));
      assert.equal(model.received.length, 0);
    });

    it('once granted, the app gets the answer; usage is recorded against the app', async () => {
      const g = await s.op('apps.ai.grant', { app: 'asker' }, { human: true });
      assert.equal(g.status, 200, JSON.stringify(g.body));
      assert.equal(g.body.dailyUsd, 0.5);
      model.reply.text = 'A short summary.';
      const r = await appRequest(s, 'asker', '/api/ask?q=hello');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.text, 'A short summary.');
      assert.equal(r.json.provider, 'openai');
      assert.equal(r.json.model, 'gpt-test');
      const sent = model.received.at(-1)!;
      assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
      assert.equal(sent.body.messages.at(-1).content, 'Summarise: hello');
      const usage = await s.op('ai.usage', { app: 'asker' });
      assert.equal(usage.status, 200, JSON.stringify(usage.body));
      assert.ok(JSON.stringify(usage.body).includes('gpt-test'), JSON.stringify(usage.body));
      const e = await appRequest(s, 'asker', '/api/embed');
      assert.equal(e.status, 200, e.text);
      assert.equal(e.json.vectors.length, 2);
    });

    it('bad input from app code is refused by name and sends nothing', async () => {
      const before = model.received.length;
      await deploy(s, 'asker', {
        'api/main.js': `export default async () => { try { await fazt.ai.complete({ prompt: 'x', model: 'other', bogus: 1 }); } catch (e) { return { error: e.name, message: e.message }; } };`,
        'manifest.json': manifest({ dailyUsd: 0.5 }),
      });
      const r = await appRequest(s, 'asker', '/api/x');
      assert.equal(r.json.error, 'BAD_INPUT');
      assert.match(r.json.message, /model|bogus/);
      assert.equal(model.received.length, before);
    });

    it("the app's own key replaces the server's, and never appears in output", async () => {
      await deploy(s, 'asker', { 'api/main.js': ASKER, 'manifest.json': manifest({ dailyUsd: 0.5 }) });
      const g = await s.op('apps.ai.grant', { app: 'asker', provider: 'openai', apiKey: APP_KEY }, { human: true });
      assert.equal(g.status, 200, JSON.stringify(g.body));
      assert.deepEqual(g.body.ownKeys, ['openai']);
      assert.ok(!JSON.stringify(g.body).includes(APP_KEY));
      await appRequest(s, 'asker', '/api/ask');
      assert.equal(model.received.at(-1)!.headers.authorization, `Bearer ${APP_KEY}`);
    });

    it('the daily budget of the app stops further calls with AI_BUDGET_EXCEEDED', async () => {
      const g = await s.op('apps.ai.grant', { app: 'asker', dailyUsd: 0 }, { human: true });
      assert.equal(g.status, 200, JSON.stringify(g.body));
      const before = model.received.length;
      const r = await appRequest(s, 'asker', '/api/ask');
      assert.equal(r.json.error, 'AI_BUDGET_EXCEEDED', r.text);
      assert.equal(model.received.length, before);
    });

    it("pulse warns about an app's spend against its own cap", async () => {
      assert.equal((await s.op('ai.configure', { prices: { 'gpt-test': { input: 1000, output: 1000 } } })).status, 200);
      assert.equal((await s.op('apps.ai.grant', { app: 'asker', dailyUsd: 100 }, { human: true })).status, 200);
      assert.equal((await appRequest(s, 'asker', '/api/ask')).status, 200);
      assert.equal((await s.op('apps.ai.grant', { app: 'asker', dailyUsd: 1 }, { human: true })).status, 200);
      const beat = await s.op('pulse.beat', {});
      assert.equal(beat.status, 200, JSON.stringify(beat.body));
      const issue = beat.body.issues.find((i: { key: string }) => i.key === 'ai.budget:app:asker');
      assert.ok(issue, JSON.stringify(beat.body.issues));
      assert.equal(issue.severity, 'critical');
      assert.match(issue.recommendation, /fazt apps ai grant asker/);
    });

    it('revoking stops the calls and forgets the own key', async () => {
      const rv = await s.op('apps.ai.revoke', { app: 'asker' });
      assert.equal(rv.status, 200);
      assert.equal(rv.body.granted, null);
      assert.deepEqual(rv.body.ownKeys, []);
      assert.equal((await appRequest(s, 'asker', '/api/ask')).json.error, 'AI_NOT_GRANTED');
    });

    it("the sandbox's time limit bounds the wait for a model that does not answer", async () => {
      const hang: Server = createServer(() => {
        /* never answers */
      });
      await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
      try {
        await s.op('ai.providers.set', { provider: 'openai', baseUrl: `http://127.0.0.1:${(hang.address() as AddressInfo).port}/v1` });
        await deploy(s, 'slow', { 'api/main.js': ASKER, 'manifest.json': JSON.stringify({ ai: {}, limits: { timeoutMs: 300 } }) });
        assert.equal((await s.op('apps.ai.grant', { app: 'slow' }, { human: true })).status, 200);
        const r = await appRequest(s, 'slow', '/api/ask');
        // Either the app sees the aborted call, or the sandbox's deadline ends the invocation (503): never a hang.
        assert.ok(r.status === 503 || (r.status === 502 && /abort|time/i.test(r.json.message)), `${r.status} ${r.text}`);
        // The app still serves afterwards.
        await s.op('ai.providers.set', { provider: 'openai', baseUrl: model.url });
        const again = await appRequest(s, 'slow', '/api/ask');
        assert.equal(again.status, 200, again.text);
      } finally {
        hang.closeAllConnections();
        hang.close();
      }
    });

    it('a malformed "ai" entry fails the deploy by name and leaves the previous version serving', async () => {
      const bad = await deploy(s, 'asker', { 'api/main.js': ASKER, 'manifest.json': manifest({ dailyUsd: 'lots' }) });
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      assert.match(bad.body.error.message, /ai\.dailyUsd/);
      const unknown = await deploy(s, 'asker', { 'api/main.js': ASKER, 'manifest.json': manifest({ modle: 'x' }) });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.error.message, /modle.*valid: model, provider, dailyUsd/);
      assert.equal((await s.op('deploy.versions', { app: 'asker' })).body.activeVersion, 3);
    });
  });
}
