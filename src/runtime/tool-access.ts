import { holdsAny } from '../auth/capabilities.js';

/**
 * Whether a caller may use an app's tools that change data. Read access
 * (`app:<id>:read`) allows only the tools an app declared read-only.
 */
export function mayUseWriteTools(caps: readonly string[], appId: string): boolean {
  return holdsAny(caps, ['kernel:apps:write', `app:${appId}:write`]);
}
