import { statfs } from 'node:fs/promises';
import { freemem, loadavg, totalmem, uptime, cpus } from 'node:os';
import { round } from '../request-metrics.js';
import { defineCollector } from './define.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** The machine: load, memory, uptime, and the disk holding the data dir (as `df` reports it). */
export const hostCollector = defineCollector({
  name: 'host',
  async collect({ kernel }) {
    const [l1, l5, l15] = loadavg();
    const total = totalmem();
    const used = total - freemem();
    const fs = await statfs(kernel.config.dataDir);
    const diskTotal = fs.blocks * fs.bsize;
    const diskFree = fs.bavail * fs.bsize;
    const diskUsed = (fs.blocks - fs.bfree) * fs.bsize;
    return {
      cpus: cpus().length,
      load1: round(l1),
      load5: round(l5),
      load15: round(l15),
      uptimeSeconds: Math.round(uptime()),
      memory: { usedMb: round(used / MB, 1), totalMb: round(total / MB, 1), percent: round((used / total) * 100, 1) },
      disk: {
        path: kernel.config.dataDir,
        usedGb: round(diskUsed / GB),
        totalGb: round(diskTotal / GB),
        freeGb: round(diskFree / GB),
        // Like df: the share of space ordinary users can have that is taken.
        percent: diskUsed + diskFree > 0 ? round((diskUsed / (diskUsed + diskFree)) * 100, 1) : 0,
      },
    };
  },
});
