import { appFailing } from './app-failing.js';
import { badDeploy } from './bad-deploy.js';
import { certExpiring } from './cert-expiring.js';
import { diskHigh } from './disk-high.js';
import { notifyFailing } from './notify-failing.js';
import { rateLimited } from './rate-limited.js';
import { staleHalt } from './stale-halt.js';
import type { Playbook } from './types.js';

/** In order: the first that matches an issue and has a plan decides (bad-deploy before app-failing). */
export const PLAYBOOKS: readonly Playbook[] = [badDeploy, appFailing, certExpiring, diskHigh, staleHalt, notifyFailing, rateLimited];
