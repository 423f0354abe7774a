/**
 * Buffers rows that arrive in bursts (logs, request metrics, events) and writes
 * them in one transaction, either when the buffer fills or on a short timer.
 */
export class BatchWriter<T> {
  private buf: T[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (rows: T[]) => void,
    private readonly opts: { maxRows?: number; maxDelayMs?: number } = {},
  ) {}

  push(row: T): void {
    this.buf.push(row);
    if (this.buf.length >= (this.opts.maxRows ?? 500)) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.opts.maxDelayMs ?? 200);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.buf.length) return;
    const rows = this.buf;
    this.buf = [];
    this.write(rows);
  }

  get pending(): number {
    return this.buf.length;
  }
}
