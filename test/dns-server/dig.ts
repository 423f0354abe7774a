import { execFile } from 'node:child_process';

export interface DigResult {
  status: string;
  flags: string[];
  answer: string[];
  authority: string[];
  additional: string[];
  /** 'UDP' or 'TCP', as dig reports the server it got the final answer from. */
  transport: string;
  truncatedRetry: boolean;
  raw: string;
}

/** Runs the real /usr/bin/dig against our server and reads its sections. */
export function dig(port: number, args: string[]): Promise<DigResult> {
  return new Promise((resolve, reject) => {
    execFile('dig', ['@127.0.0.1', '-p', String(port), '+norecurse', '+tries=1', '+time=5', ...args], (err, stdout) => {
      if (err && !stdout) return reject(err);
      resolve(parseDig(stdout));
    });
  });
}

function section(raw: string, name: string): string[] {
  const m = new RegExp(`;; ${name} SECTION:\\n([\\s\\S]*?)(?:\\n\\n|$)`).exec(raw);
  return m ? m[1].split('\n').filter((l) => l && !l.startsWith(';')).map((l) => l.replace(/\s+/g, ' ').trim()) : [];
}

export function parseDig(raw: string): DigResult {
  // After a TC retry dig prints both replies: the sections that count are the last ones.
  const last = raw.slice(raw.lastIndexOf('->>HEADER<<-'));
  return {
    status: /status: (\w+)/.exec(last)?.[1] ?? 'NONE',
    flags: (/;; flags: ([a-z ]+);/.exec(last)?.[1] ?? '').trim().split(' ').filter(Boolean),
    answer: section(last, 'ANSWER'),
    authority: section(last, 'AUTHORITY'),
    additional: section(last, 'ADDITIONAL'),
    transport: /;; SERVER: .*\((UDP|TCP)\)/.exec(last)?.[1] ?? '',
    truncatedRetry: raw.includes('Truncated, retrying in TCP mode'),
    raw,
  };
}
