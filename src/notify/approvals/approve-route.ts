import type { IncomingMessage, ServerResponse } from 'node:http';
import { OWNER_CAPS } from '../../auth/tokens.js';
import { totpEnabled } from '../../auth/totp.js';
import type { Halt } from '../../halt/halt-queue.js';
import type { HttpHandler, Kernel, RouteInfo } from '../../kernel/kernel.js';
import type { Caller } from '../../kernel/ops/define.js';
import { httpStatusFor, OpError, toOpError } from '../../kernel/ops/errors.js';
import { readBody } from '../../surfaces/http/body.js';
import type { ApprovalLinks } from './approval-links.js';
import { confirmPage, refusalPage, resultPage, sendPage } from './approval-page.js';
import { checkFormNonce, makeFormNonce } from './form-nonce.js';

export const APPROVE_PREFIX = '/approve/';
const FORM_LIMIT = 4096;

/** Whoever holds the link and confirms its page is the owner in person: the link was sent to the owner alone. */
const LINK_CALLER: Caller = { kind: 'owner', name: 'approval-link', caps: OWNER_CAPS, human: true };

/** On kernel hosts (see the module's useHttp). */
export function acceptsApproveRoute(route: RouteInfo): boolean {
  return route.path.startsWith(APPROVE_PREFIX);
}

/** GET renders only (mail scanners and link previews fetch every link); POST decides through the op pipeline. */
export function approveRoute(kernel: Kernel, links: ApprovalLinks): HttpHandler {
  return async (req, res, route) => {
    const token = route.path.slice(APPROVE_PREFIX.length);
    if (req.method === 'GET' || req.method === 'HEAD') return (showPage(kernel, links, res, token), true);
    if (req.method === 'POST') return (await decide(kernel, links, req, res, route, token), true);
    sendPage(res, 405, refusalPage('Not allowed', 'Open the link in a browser.'), { allow: 'GET, HEAD, POST' });
    return true;
  };
}

function showPage(kernel: Kernel, links: ApprovalLinks, res: ServerResponse, token: string, notice?: { status: number; text: string }): void {
  const c = links.check(token);
  if (!c.ok) return sendPage(res, c.status, refusalPage(c.title, c.message));
  const nonce = makeFormNonce(links.key(), token);
  sendPage(res, notice?.status ?? 200, confirmPage({ halt: c.halt, option: c.payload.o, nonce, totp: totpEnabled(kernel), notice: notice?.text }));
}

async function decide(kernel: Kernel, links: ApprovalLinks, req: IncomingMessage, res: ServerResponse, route: RouteInfo, token: string): Promise<void> {
  let form: URLSearchParams;
  try {
    form = new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));
  } catch {
    res.setHeader('connection', 'close');
    return sendPage(res, 413, refusalPage('Request too large', 'Nothing was done. Open the link again.'));
  }
  const c = links.check(token);
  if (!c.ok) return sendPage(res, c.status, refusalPage(c.title, c.message));
  if (!checkFormNonce(links.key(), token, form.get('nonce') ?? undefined)) {
    return sendPage(res, 400, refusalPage('This form was not sent from the approval page', 'Nothing was done. Open the link again and use its button.'));
  }
  // Claimed before the decision runs, in one statement, so two taps (or a race with another
  // device) cannot both decide; released below only if the halt is still pending afterwards.
  if (!links.used.claim(c.hash, c.halt.id, c.payload.o)) {
    return sendPage(res, 410, refusalPage('This approval link has already been used', 'Each link works once. Nothing more was done.'));
  }
  const code = form.get('code')?.trim() || undefined;
  const deny = c.payload.o.toLowerCase() === 'deny';
  let decided: Halt | undefined;
  let failure: OpError | undefined;
  try {
    const r = await kernel.invoke({ ...LINK_CALLER, caps: [...OWNER_CAPS] }, deny ? 'halt.deny' : 'halt.approve', deny ? { id: c.halt.id, code } : { id: c.halt.id, option: c.payload.o, code }, {
      surface: 'http',
      requestId: route.requestId,
    });
    if (r.status === 'ok') decided = r.output as Halt;
    else failure = new OpError('CONFLICT', 'The decision itself was held for approval.');
  } catch (err) {
    failure = toOpError(err);
  }
  if (decided) return sendPage(res, 200, resultPage(decided));
  const now = kernel.halts.get(c.halt.id);
  if (now?.status === 'pending') {
    const wrongCode = failure?.code === 'UNAUTHENTICATED';
    links.used.release(c.hash, wrongCode);
    if (wrongCode) return showPage(kernel, links, res, token, { status: 401, text: failure!.message.replace(/pass --code with/, 'enter') });
  }
  const status = failure ? httpStatusFor(failure.code) : 500;
  sendPage(res, status, refusalPage('The decision did not go through', failure ? failure.message : 'Unknown error.'));
}
