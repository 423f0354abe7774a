const HOUR = 3600_000;

/**
 * When to renew: at two thirds of the lifetime, pulled earlier by up to 1/30 of
 * it at random so certificates issued together do not all renew in the same minute.
 */
export function renewAtFor(notBefore: string, notAfter: string, random = Math.random()): string {
  const nb = Date.parse(notBefore);
  const life = Date.parse(notAfter) - nb;
  return new Date(nb + (life * 2) / 3 - random * (life / 30)).toISOString();
}

/** After the n-th failure in a row: 1 h, 2 h, 4 h … capped at 32 h. */
export function retryDelayMs(failures: number): number {
  return Math.min(HOUR * 2 ** Math.max(0, failures - 1), 32 * HOUR);
}
