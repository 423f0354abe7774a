import { spawn } from 'node:child_process';
import { BIN } from './paths.js';

/** Runs the CLI on a real pseudo-terminal (`script`); `answer` is typed once `question` is on the screen. */
export function atTerminal(args: string[], question: RegExp, answer: string): Promise<{ code: number; out: string; asked: boolean }> {
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qefc', cmd, '/dev/null'], { env: { ...process.env, FAZT_URL: '', FAZT_TOKEN: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let asked = false;
  child.stdout.on('data', (d) => {
    out += d;
    if (!asked && question.test(out)) {
      asked = true;
      child.stdin.write(`${answer}\r`);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out, asked });
    }),
  );
}
