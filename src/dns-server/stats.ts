/** Counters the pulse collector reads; only ever incremented. */
export class DnsStats {
  queries = 0;
  udp = 0;
  tcp = 0;
  /** UDP answers sent empty with TC set (the client retries over TCP). */
  truncated = 0;
  /** Datagrams or frames that were not a well-formed query: dropped unanswered. */
  malformed = 0;
  /** Failures inside the server while answering (should stay 0). */
  errors = 0;
  readonly rcodes: Record<string, number> = {};

  count(rcode: number): void {
    const name = RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
    this.rcodes[name] = (this.rcodes[name] ?? 0) + 1;
  }
}

const RCODE_NAMES: Record<number, string> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };
