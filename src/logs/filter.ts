import { levelRank } from './levels.js';
import type { AccessLine, FollowedLine, LogFilter, LogLine } from './types.js';

/** Status floor an access-log level filter means. */
export function statusFloor(level: string | undefined): number {
  return level === 'error' ? 500 : level === 'warn' ? 400 : 0;
}

/** The same filter logs.query applies in SQL, for lines pushed to live followers. */
export function lineMatches(f: LogFilter, item: FollowedLine): boolean {
  if (item.kind !== f.kind) return false;
  if (f.appId && item.line.appId !== f.appId) return false;
  if (item.kind === 'app') return appMatches(f, item.line);
  return accessMatches(f, item.line);
}

function appMatches(f: LogFilter, l: LogLine): boolean {
  if (f.level && levelRank(l.level) < levelRank(f.level)) return false;
  if (f.grep) {
    const needle = f.grep.toLowerCase();
    if (!l.message.toLowerCase().includes(needle) && !(l.fields && JSON.stringify(l.fields).toLowerCase().includes(needle))) return false;
  }
  return true;
}

function accessMatches(f: LogFilter, l: AccessLine): boolean {
  if (l.status < statusFloor(f.level)) return false;
  if (f.grep && !l.path.toLowerCase().includes(f.grep.toLowerCase())) return false;
  return true;
}
