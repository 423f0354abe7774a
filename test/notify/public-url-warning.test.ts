import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { spawnServer, startServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

describe('start-up warns when notifications are on and no public URL is set', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  it('says nothing without channels, warns with one, and stays quiet once --public-url is given', async () => {
    const dataDir = `${tmp.dir}/data`;
    const quiet = await spawnServer(dataDir, ['--no-example']);
    await quiet.stop();
    assert.doesNotMatch(quiet.output(), /--public-url/);

    const s = await startServer({ dataDir, seedExample: false });
    const add = await s.op('notify.channels.add', { type: 'webhook', name: 'hook', config: { url: 'https://example.test/hook', secret: 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64') } });
    assert.equal(add.status, 200, JSON.stringify(add.body));
    await s.close();

    const warned = await spawnServer(dataDir, ['--no-example']);
    const out = await warned.waitForOutput(/--public-url/);
    await warned.stop();
    assert.match(out, /Notifications are on but --public-url \(FAZT_PUBLIC_URL\) is not set: approval links will point at http:\/\/localhost:\d+/);

    const configured = await spawnServer(dataDir, ['--no-example', '--public-url', 'https://fazt.example.com']);
    await configured.stop();
    assert.doesNotMatch(configured.output(), /--public-url/);
  });
});
