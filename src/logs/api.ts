export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogInput {
  appId: string;
  level: LogLevel;
  message: string;
  fields?: Record<string, unknown>;
  requestId?: string;
}

/** App logs, written in batches so bursts never slow requests. */
export interface LogsApi {
  write(entry: LogInput): void;
  /** A line from app code (fazt.log, console): within the app's budget of lines per request and bytes per minute. */
  appLog(entry: LogInput): void;
  /** Writes everything buffered now (shutdown, tests). */
  flush(): void;
}

declare module '../kernel/services.js' {
  interface Services {
    logs: LogsApi;
  }
}
