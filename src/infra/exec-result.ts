/** What one command run on a server gave back; output beyond the cap is cut and marked. */
export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  ms: number;
}

export const EXEC_OUTPUT_CAP = 256 * 1024;
export const EXEC_TIMEOUT_MS = 120_000;

/** Collects a stream's text up to the cap. */
export class Capped {
  text = '';
  truncated = false;
  push(chunk: Buffer | string): void {
    if (this.text.length >= EXEC_OUTPUT_CAP) {
      this.truncated = true;
      return;
    }
    const s = chunk.toString();
    if (this.text.length + s.length > EXEC_OUTPUT_CAP) this.truncated = true;
    this.text += s.slice(0, EXEC_OUTPUT_CAP - this.text.length);
  }
}
