import type { IncomingMessage } from 'node:http';

/** Who a request is from, as far as the app is concerned (fazt.app.user.*). App sign-in replaces it. */
export type UserResolver = (req: IncomingMessage) => string | null;

/** Names the signed-in user; the front door removes it unless the peer is a configured trusted proxy. */
export const USER_HEADER = 'x-fazt-user';

/** Until app auth exists, a trusted upstream (a proxy doing sign-in) names the user in this header. */
export const headerUser: UserResolver = (req) => {
  const v = req.headers[USER_HEADER];
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : null;
};
