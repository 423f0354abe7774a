import type { Settings } from '../kernel/settings.js';
import { LIMIT_BOUNDS, limitsFromManifest, type ClampedLimit, type SandboxLimits } from './sandbox/limits.js';

/** The limits the owner may set per app (stackKb stays a server setting). */
export const OWNER_LIMIT_KEYS = ['memoryMb', 'timeoutMs', 'maxOutputBytes', 'maxBodyBytes'] as const;
export type OwnerLimitKey = (typeof OWNER_LIMIT_KEYS)[number];
export type OwnerLimits = Partial<Record<OwnerLimitKey, number>>;

const key = (appId: string) => `runtime.limits.${appId}`;

/**
 * Per-app limits the owner set (apps.limits.set), kept in settings. They are
 * the app's ceiling in place of the server default: its manifest may ask for
 * less, never for more.
 */
export class AppLimits {
  constructor(
    private readonly settings: Settings,
    readonly defaults: SandboxLimits,
  ) {}

  owner(appId: string): OwnerLimits {
    return this.settings.get<OwnerLimits>(key(appId), {});
  }

  /** Sets the given limits; null puts one back to the server default. */
  set(appId: string, changes: Partial<Record<OwnerLimitKey, number | null>>): OwnerLimits {
    const next: OwnerLimits = { ...this.owner(appId) };
    for (const k of OWNER_LIMIT_KEYS) {
      const v = changes[k];
      if (v === null) delete next[k];
      else if (v !== undefined) next[k] = v;
    }
    if (Object.keys(next).length) this.settings.set(key(appId), next);
    else this.settings.delete(key(appId));
    return next;
  }

  deleteApp(appId: string): void {
    this.settings.delete(key(appId));
  }

  /** The most an app may use: the server default, or what the owner set. */
  ceiling(appId: string): SandboxLimits {
    return { ...this.defaults, ...this.owner(appId) };
  }

  /** What an app version runs with; manifest values above the ceiling are listed in `clamped`. */
  resolve(appId: string, manifest: Record<string, unknown>, clamped: ClampedLimit[] = []): SandboxLimits {
    return limitsFromManifest(manifest, this.ceiling(appId), clamped);
  }
}

/** The deploy notice for manifest limits that were lowered to the app's ceiling. */
export function clampedNotice(slug: string, clamped: ClampedLimit[]): string {
  const parts = clamped.map((c) => `${c.key} ${c.asked} → ${c.applied}`).join(', ');
  const flags = clamped
    .filter((c) => (OWNER_LIMIT_KEYS as readonly string[]).includes(c.key))
    .map((c) => `--${c.key.replace(/[A-Z]/g, (ch) => '-' + ch.toLowerCase())} ${Math.min(c.asked, LIMIT_BOUNDS[c.key][1])}`)
    .join(' ');
  const how = flags ? ` Only the owner can raise an app's limits: fazt apps limits set ${slug} ${flags}` : '';
  return `manifest.json asks for limits above what this app may use, so they were lowered: ${parts}.${how}`;
}
