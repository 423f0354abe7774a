export interface DomainCheck {
  domain: string;
  available: boolean;
  /** First-year price, when the provider quotes one. */
  price: number | null;
  renewal: number | null;
  currency: string | null;
  premium: boolean;
  /** Why it cannot be registered, in the provider's words. */
  reason?: string;
}

export interface DomainInfo {
  domain: string;
  status: string;
  expiresAt: string | null;
  autoRenew: boolean | null;
  createdAt: string | null;
}

export interface RegisterResult {
  domain: string;
  years: number;
  price: number;
  currency: string;
  status: string;
  orderId?: string;
  dryRun: boolean;
}

/** A registrar that knows nothing of ops: check with price, register, list. */
export interface DomainProvider {
  readonly id: string;
  /** The terms (years) it can register for; others are refused before any call. */
  readonly terms: number[];
  check(domain: string): Promise<DomainCheck>;
  /** `quote` is the check made just before: the provider may refuse when its price moved. */
  register(domain: string, years: number, quote: DomainCheck, opts: { dryRun: boolean }): Promise<RegisterResult>;
  list(): Promise<DomainInfo[]>;
  get(domain: string): Promise<DomainInfo | null>;
}
