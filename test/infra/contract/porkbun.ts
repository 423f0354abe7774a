import { loopback, type Loopback, type Reply, type Route } from './base.js';

/**
 * Porkbun API v3 as documented: every call a POST whose JSON carries apikey and
 * secretapikey; answers {status:"SUCCESS"|"ERROR", ...}; checkDomain gives
 * USD price strings and a limits block; domain/create wants cost in cents and
 * agreeToTerms "yes", refuses a cost that does not match, and with dryRun
 * runs every check without buying; listAll pages by 1000 from start.
 */
export interface PorkbunFake extends Loopback {
  base: string;
  apiKey: string;
  secretKey: string;
  prices: Record<string, { avail: boolean; price: string; renewal?: string; premium?: boolean }>;
  owned: any[];
  balanceCents: number;
}

export async function porkbunFake(apiKey = 'pk1_test0123456789', secretKey = 'sk1_test0123456789'): Promise<PorkbunFake> {
  const s = {} as PorkbunFake;
  let order = 100;
  const err = (status: number, message: string): Reply => ({ status, body: { status: 'ERROR', message } });
  const ok = (body: Record<string, unknown>): Reply => ({ status: 200, body: { status: 'SUCCESS', ...body } });
  const routes = (): Route[] => [
    ['POST', /^\/api\/json\/v3\/domain\/checkDomain\/([^/]+)$/, (_r, m) => {
      const p = s.prices[m[1]];
      if (!p) return ok({ response: { avail: 'no', type: 'registration', price: '0.00', firstYearPromo: 'no', regularPrice: '0.00', premium: 'no' }, limits: { TTL: '10', limit: '1', used: 1, naturalLanguage: '1 out of 1 checks within 10 seconds used.' } });
      return ok({
        response: { avail: p.avail ? 'yes' : 'no', type: 'registration', price: p.price, firstYearPromo: 'no', regularPrice: p.price, premium: p.premium ? 'yes' : 'no', additional: { renewal: { type: 'renewal', price: p.renewal ?? p.price, regularPrice: p.renewal ?? p.price }, transfer: { type: 'transfer', price: p.price, regularPrice: p.price } } },
        limits: { TTL: '10', limit: '1', used: 1, naturalLanguage: '1 out of 1 checks within 10 seconds used.' },
      });
    }],
    ['POST', /^\/api\/json\/v3\/domain\/create\/([^/]+)$/, (r, m) => {
      const p = s.prices[m[1]];
      if (!p?.avail) return err(400, 'Domain is not available for registration.');
      if (r.body.agreeToTerms !== 'yes') return err(400, 'You must agree to the terms (agreeToTerms: "yes").');
      const cents = Math.round(Number(p.price) * 100);
      if (r.body.cost !== cents) return err(400, `The cost you sent (${r.body.cost}) does not match the current price (${cents}).`);
      if (cents > s.balanceCents) return err(400, 'Insufficient funds: your account credit does not cover this order.');
      if (r.body.dryRun === true) return ok({ dryRun: true, domain: m[1], cost: cents, message: 'All pre-flight checks passed; nothing was charged.' });
      s.balanceCents -= cents;
      s.owned.push({ domain: m[1], status: 'ACTIVE', tld: m[1].split('.').pop(), createDate: '2026-11-29 04:00:00', expireDate: '2027-11-29 04:00:00', securityLock: '1', whoisPrivacy: '1', autoRenew: 0, notLocal: 0 });
      return ok({ domain: m[1], cost: cents, orderId: order++, balance: s.balanceCents });
    }],
    ['POST', /^\/api\/json\/v3\/domain\/listAll$/, (r) => ok({ domains: s.owned.slice(Number(r.body.start ?? 0), Number(r.body.start ?? 0) + 1000) })],
  ];
  const lb = await loopback(routes, () => ({}), (r) => (r.body?.apikey === s.apiKey && r.body?.secretapikey === s.secretKey ? undefined : err(403, 'Invalid API key. (002)')));
  Object.assign(s, lb, { base: `${lb.url}/api/json/v3`, apiKey, secretKey, prices: {}, owned: [], balanceCents: 5000 });
  return s;
}
