import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { smtpReceiver } from './receivers.js';

const PASSWORD = 'smtp-pass-' + 'Zq8Wv3Lk9Rt2';

describe('notify: channels from the command line', () => {
  let s: TestServer;
  let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
  before(async () => {
    smtp = await smtpReceiver({ user: 'fazt', pass: PASSWORD });
    s = await startServer();
  });
  after(async () => {
    await s.close();
    await smtp.close();
  });

  it('adds an e-mail channel from --smtp, a password on stdin and a list of recipients; the test mail arrives', async () => {
    const add = await runCli(
      ['notify', 'channels', 'add', 'email', 'mail', '--smtp', `smtp://fazt@127.0.0.1:${smtp.port}`, '--password', '-', '--from', 'fazt@example.test', '--to', 'me@example.test,ops@example.test', '--json'],
      { dataDir: s.dataDir, input: PASSWORD + '\n' },
    );
    assert.equal(add.code, 0, add.stderr);
    assert.ok(!add.stdout.includes(PASSWORD));
    const test = await runCli(['notify', 'test', 'mail'], { dataDir: s.dataDir });
    assert.equal(test.code, 0, test.stderr);
    const mail = await smtp.nth(1);
    assert.equal(mail.user, 'fazt');
    assert.deepEqual(mail.to, ['me@example.test', 'ops@example.test']);
    assert.equal(s.kernel.services.secrets.get('notify.mail.password'), PASSWORD);
  });

  it('refuses a field the type does not have, an unknown type and a password inside the URL, naming what is valid', async () => {
    const field = await runCli(['notify', 'channels', 'add', 'ntfy', '--from', 'x@example.test'], { dataDir: s.dataDir });
    assert.equal(field.code, 2);
    assert.match(field.stderr, /ntfy channels have no --from; their fields: .*--topic/);
    const type = await runCli(['notify', 'channels', 'add', 'pager'], { dataDir: s.dataDir });
    assert.equal(type.code, 2);
    assert.match(type.stderr, /Known types: email, slack/);
    const inUrl = await runCli(['notify', 'channels', 'add', 'email', '--smtp', 'smtps://u:secret@smtp.example.test', '--from', 'a@example.test', '--to', 'b@example.test'], { dataDir: s.dataDir });
    assert.equal(inUrl.code, 2);
    assert.match(inUrl.stderr, /leave the password out of the URL/);
    const bogus = await runCli(['notify', 'channels', 'add', 'email', '--nonsense', '1'], { dataDir: s.dataDir });
    assert.equal(bogus.code, 2);
    assert.deepEqual((await s.op('notify.channels.list', {})).body.channels.map((c: { name: string }) => c.name), ['mail']);
  });

  it('shows every type\'s fields in --help', async () => {
    const help = await runCli(['notify', 'channels', 'add', '--help'], { dataDir: s.dataDir });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /telegram\s+--bot-token --chat-id/);
  });
});
