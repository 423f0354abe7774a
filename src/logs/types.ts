import type { LogLevel } from './api.js';

/** One stored app log line. */
export interface LogLine {
  id: number;
  at: string;
  appId: string | null;
  level: LogLevel;
  message: string;
  fields: Record<string, unknown> | null;
  requestId: string | null;
}

/** One stored request (static, api, mcp, kernel). */
export interface AccessLine {
  id: number;
  at: string;
  appId: string | null;
  slug: string;
  kind: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  bytes: number;
  requestId: string | null;
  /** Requests this line stands for: successful static hits are counted per window. */
  hits: number;
}

export type LogKind = 'app' | 'access';

export interface LogFilter {
  kind: LogKind;
  appId?: string;
  /** That level and above; for access lines warn means status ≥ 400, error status ≥ 500. */
  level?: LogLevel;
  /** Plain substring, case-insensitive (message and fields, or the request path). */
  grep?: string;
  since?: string;
  until?: string;
  limit?: number;
}

export type FollowedLine = { kind: 'app'; line: LogLine } | { kind: 'access'; line: AccessLine };
