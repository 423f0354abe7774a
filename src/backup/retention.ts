import type { KeepPolicy } from './types.js';

export const DEFAULT_KEEP: KeepPolicy = { last: 4, daily: 7, weekly: 4, monthly: 6 };

function dayOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function monthOf(d: Date): string {
  return d.toISOString().slice(0, 7);
}

/** ISO week (Monday first) as "2026-W48". */
function weekOf(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Grandfather-father-son: keep the newest `last`, then the newest backup of each of
 * the latest `daily` days, `weekly` ISO weeks and `monthly` months. Returns the ids to delete.
 */
export function selectForPruning(backups: { id: string; createdAt: string }[], keep: KeepPolicy): string[] {
  const sorted = [...backups].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const kept = new Set<string>(sorted.slice(0, keep.last).map((b) => b.id));
  const bucket = (count: number, key: (d: Date) => string) => {
    const seen = new Set<string>();
    for (const b of sorted) {
      if (seen.size >= count) break;
      const k = key(new Date(b.createdAt));
      if (seen.has(k)) continue;
      seen.add(k);
      kept.add(b.id);
    }
  };
  bucket(keep.daily, dayOf);
  bucket(keep.weekly, weekOf);
  bucket(keep.monthly, monthOf);
  return sorted.filter((b) => !kept.has(b.id)).map((b) => b.id);
}
