import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN } from '../helpers/paths.js';
import { runCli, startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp.js';

const run = promisify(execFile);

describe('fazt tasks and --detach (real CLI against a real server)', () => {
  let s: TestServer;
  const tmp = tempDir('fazt-task-sites-');
  before(async () => (s = await startServer()));
  after(async () => {
    await s.close();
    tmp.cleanup();
  });

  const site = (name: string, n: number) => {
    const dir = join(tmp.dir, name);
    mkdirSync(join(dir, 'p'), { recursive: true });
    for (let i = 0; i < n; i++) writeFileSync(join(dir, 'p', `${i}.html`), `<p>${name} ${i}</p>`);
    return dir;
  };

  it('deploy --detach prints a task id; tasks wait prints the result; tasks list and show find it', async () => {
    const r = await runCli(['deploy', site('detached', 600), '--detach'], { dataDir: s.dataDir });
    assert.equal(r.code, 0, r.stderr);
    const id = r.stdout.trim();
    assert.match(id, /^task_[0-9a-f]{16}$/);
    assert.match(r.stderr, new RegExp(`fazt tasks wait ${id}`));

    const w = await runCli(['tasks', 'wait', id, '--json'], { dataDir: s.dataDir });
    assert.equal(w.code, 0, w.stderr);
    const out = JSON.parse(w.stdout);
    assert.equal(out.app.slug, 'detached');
    assert.equal(out.fileCount, 600);

    const list = JSON.parse((await runCli(['tasks', 'list', '--json'], { dataDir: s.dataDir })).stdout);
    assert.ok(list.tasks.some((t: { id: string; status: string }) => t.id === id && t.status === 'completed'));
    const show = await runCli(['tasks', 'show', id], { dataDir: s.dataDir });
    assert.equal(show.code, 0);
    assert.match(show.stdout, /completed/);
  });

  it('a generated long-running op command takes --detach; tasks cancel on a finished task changes nothing', async () => {
    const r = await runCli(['deploy', 'files', 'gen-detached', '--input', JSON.stringify({ files: [{ path: 'index.html', content: 'hi' }] }), '--detach', '--json'], { dataDir: s.dataDir });
    assert.equal(r.code, 0, r.stderr);
    const task = JSON.parse(r.stdout);
    assert.equal(task.op, 'deploy');
    const w = await runCli(['tasks', 'wait', task.id], { dataDir: s.dataDir });
    assert.equal(w.code, 0, w.stderr);
    const c = await runCli(['tasks', 'cancel', task.id, '--json'], { dataDir: s.dataDir });
    assert.equal(c.code, 0, c.stderr);
    assert.equal(JSON.parse(c.stdout).status, 'completed');
  });

  it('on a terminal, long work runs as a task the CLI follows (progress on stderr), and prints its result as usual', async () => {
    // `script` gives the CLI a real pseudo-terminal.
    const cmd = `${process.execPath} ${BIN} backup create --note on-a-terminal --data ${s.dataDir}`;
    const r = await run('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '' } });
    assert.match(r.stdout, /note\s+on-a-terminal/);
    assert.match(r.stdout, /sha256\s+[0-9a-f]{64}/);
    const list = JSON.parse((await runCli(['tasks', 'list', '--json'], { dataDir: s.dataDir })).stdout);
    assert.ok(list.tasks.some((t: { op: string; status: string }) => t.op === 'backup.create' && t.status === 'completed'), 'it ran as a task');
    // Piped (no terminal): it answers directly, as before.
    const piped = await runCli(['backup', 'create', '--json'], { dataDir: s.dataDir });
    assert.equal(piped.code, 0, piped.stderr);
    const after = JSON.parse((await runCli(['tasks', 'list', '--json'], { dataDir: s.dataDir })).stdout);
    assert.equal(after.tasks.filter((t: { op: string }) => t.op === 'backup.create').length, 1);
  });

  it('bad input: --detach on an op that answers directly, unknown task ids, tasks wait without an id', async () => {
    const d = await runCli(['apps', 'list', '--detach'], { dataDir: s.dataDir });
    assert.equal(d.code, 2);
    assert.match(d.stderr, /Unknown flag --detach for 'fazt apps list'/);
    const w = await runCli(['tasks', 'wait', 'task_nope'], { dataDir: s.dataDir });
    assert.equal(w.code, 4, w.stderr);
    assert.match(w.stderr, /No task 'task_nope'/);
    const none = await runCli(['tasks', 'wait'], { dataDir: s.dataDir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Give one task id/);
  });
});
