/**
 * Reads a server-sent event stream (a fetch Response) and calls `onData` with each
 * `data:` payload parsed as JSON (and its `event:` name, 'message' when none). Resolves when the stream ends or is aborted.
 */
export async function readSse(res: Response, onData: (data: unknown, event: string) => void): Promise<void> {
  if (!res.body) return;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) !== -1) {
        const frame = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const data = frame
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).replace(/^ /, ''))
          .join('\n');
        if (!data) continue;
        const event = frame.split('\n').find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message';
        let parsed: unknown = data;
        try {
          parsed = JSON.parse(data);
        } catch {
          /* not JSON: pass the text */
        }
        onData(parsed, event);
      }
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  }
}
