import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedHook {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A loopback HTTP receiver: answers `status` and keeps what it got; can go down and come back on the same port. */
export interface HookReceiver {
  url: string;
  received: ReceivedHook[];
  status: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function hookReceiver(): Promise<HookReceiver> {
  let server: Server | null = null;
  let port = 0;
  const r: HookReceiver = {
    url: '',
    received: [],
    status: 200,
    async up() {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          r.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
          res.writeHead(r.status, { 'content-type': 'text/plain' }).end(r.status < 300 ? 'accepted' : 'refused');
        });
      });
      await new Promise<void>((ok) => server!.listen(port, '127.0.0.1', ok));
      port = (server.address() as AddressInfo).port;
      r.url = `http://127.0.0.1:${port}/hook`;
    },
    async down() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((ok) => (s.closeAllConnections(), s.close(() => ok())));
    },
    close() {
      return r.down();
    },
  };
  await r.up();
  return r;
}

/** Verifies a Standard Webhooks signature the way a receiver would, from the spec alone. */
export function verifyStandardWebhook(secret: string, h: ReceivedHook): boolean {
  const id = String(h.headers['webhook-id']);
  const ts = String(h.headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${h.body}`).digest();
  return String(h.headers['webhook-signature'])
    .split(' ')
    .some((sig) => {
      const [v, b64] = sig.split(',');
      const got = Buffer.from(b64 ?? '', 'base64');
      return v === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
    });
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
  user?: string;
}

/** A real SMTP server on loopback (no TLS); with `auth` it accepts only that user and password. */
export async function smtpReceiver(auth?: { user: string; pass: string }): Promise<{ port: number; mails: Mail[]; nth(n: number): Promise<Mail>; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const waiting: (() => void)[] = [];
  const server = new SMTPServer({
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !auth,
    logger: false,
    onAuth(a, _session, cb) {
      if (auth && a.username === auth.user && a.password === auth.pass) cb(null, { user: a.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail: Mail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((t) => t.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
        };
        mails.push(mail);
        waiting.splice(0).forEach((w) => w());
        cb();
      });
    },
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    /** The n-th mail (1-based), once it has arrived. */
    nth: async (n: number) => {
      while (mails.length < n) await new Promise<void>((ok) => waiting.push(ok));
      return mails[n - 1];
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
