import { z } from 'zod';
import type { Channel, DeliveryResult, Message } from './types.js';

const address = z.email({ error: 'must be an e-mail address' });

const config = z.strictObject({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535).default(587),
  secure: z.boolean().default(false).describe('TLS from the first byte (port 465); false uses STARTTLS when offered'),
  user: z.string().min(1).max(320).optional(),
  password: z.string().min(1).max(1000).optional(),
  from: address,
  to: z.union([address, z.array(address).min(1).max(20)]),
});

type EmailConfig = z.infer<typeof config>;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Plain text first; the HTML twin turns the link and actions into real links. */
export function renderEmail(m: Message): { subject: string; text: string; html: string } {
  const links = [...(m.link ? [{ label: 'Open', url: m.link }] : []), ...(m.actions ?? [])];
  const subject = `[fazt${m.severity === 'info' ? '' : ' ' + m.severity}] ${m.title}`;
  const text = [m.body, '', ...links.map((l) => `${l.label}: ${l.url}`), '', `-- fazt, ${m.at} (message ${m.id})`].join('\n');
  const html = [
    `<p>${escapeHtml(m.body).replace(/\n/g, '<br>')}</p>`,
    links.length ? `<p>${links.map((l) => `<a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a>`).join(' &middot; ')}</p>` : '',
    `<p style="color:#888">fazt, ${escapeHtml(m.at)} (message ${escapeHtml(m.id)})</p>`,
  ].join('\n');
  return { subject, text, html };
}

/** 5xx answers and refused logins stay refused; connection trouble and 4xx answers may pass. */
function failure(err: unknown): DeliveryResult {
  const e = err as Error & { code?: string; responseCode?: number; response?: string };
  const permanent = e.code === 'EAUTH' || e.code === 'EENVELOPE' || (e.responseCode !== undefined && e.responseCode >= 500);
  return { ok: false, permanent, detail: e.response ?? (e.code ? `${e.code}: ${e.message}` : e.message) };
}

/** SMTP through nodemailer, to one or more addresses. */
export const emailChannel: Channel = {
  type: 'email',
  title: 'E-mail (SMTP)',
  config,
  secretFields: ['password'],
  async deliver(message, cfg) {
    const c = cfg as EmailConfig;
    // Loaded on the first mail, so a server that sends none never loads nodemailer.
    const { default: nodemailer } = await import('nodemailer');
    const transport = nodemailer.createTransport({
      host: c.host,
      port: c.port,
      secure: c.secure,
      ...(c.user ? { auth: { user: c.user, pass: c.password ?? '' } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    try {
      const { subject, text, html } = renderEmail(message);
      const info = await transport.sendMail({
        from: c.from,
        to: Array.isArray(c.to) ? c.to : [c.to],
        subject,
        text,
        html,
        messageId: `<${message.id.replace(/[^A-Za-z0-9._-]/g, '-')}@fazt>`,
      });
      return { ok: true, detail: info.response };
    } catch (err) {
      return failure(err);
    } finally {
      transport.close();
    }
  },
};
