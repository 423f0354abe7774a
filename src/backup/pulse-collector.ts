import { defineCollector } from '../pulse/collectors/define.js';
import { readConfig, STATE_KEY, type BackupState } from './config.js';
import { parseEvery } from './duration.js';

/** Age of the last good backup against the schedule, for pulse to chart and warn on. */
export const backupCollector = defineCollector({
  name: 'backup',
  collect({ kernel, now }) {
    const cfg = readConfig(kernel);
    const st = kernel.settings.get<BackupState>(STATE_KEY, {});
    const good = st.lastGoodAt ? Date.parse(st.lastGoodAt) : null;
    const failedAfterGood = !!st.lastFailureAt && (good === null || Date.parse(st.lastFailureAt) > good);
    return {
      scheduleSeconds: cfg.every ? parseEvery(cfg.every) / 1000 : null,
      lastGoodAgeSeconds: good === null ? null : Math.max(0, Math.round((now - good) / 1000)),
      lastGoodId: st.lastGoodId ?? null,
      failing: failedAfterGood,
      lastError: failedAfterGood ? (st.lastError ?? null) : null,
      lastVerifyOk: st.lastVerifyOk ?? null,
      target: cfg.target.type,
    };
  },
});
