import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { round } from '../request-metrics.js';
import { defineCollector } from './define.js';

const MB = 1024 * 1024;

/** One event-loop monitor per process: it samples in the background at 20 ms resolution. */
let loop: IntervalHistogram | undefined;
export function eventLoopMonitor(): IntervalHistogram {
  if (!loop) {
    loop = monitorEventLoopDelay({ resolution: 20 });
    loop.enable();
  }
  return loop;
}

/** This Node process: memory, event-loop delay and CPU share since the last beat. */
export const processCollector = defineCollector({
  name: 'process',
  collect({ state }) {
    const mem = process.memoryUsage();
    const h = eventLoopMonitor();
    const meanMs = h.count ? h.mean / 1e6 : 0;
    const p99Ms = h.count ? h.percentile(99) / 1e6 : 0;
    const maxMs = h.count ? h.max / 1e6 : 0;
    h.reset();
    const now = performance.now();
    const cpu = process.cpuUsage();
    const prev = state.cpu as { at: number; usage: NodeJS.CpuUsage } | undefined;
    state.cpu = { at: now, usage: cpu };
    let cpuPercent: number | null = null;
    if (prev && now > prev.at) {
      const usedMicros = cpu.user - prev.usage.user + (cpu.system - prev.usage.system);
      cpuPercent = round((usedMicros / 1000 / (now - prev.at)) * 100, 1);
    }
    return {
      pid: process.pid,
      rssMb: round(mem.rss / MB, 1),
      heapUsedMb: round(mem.heapUsed / MB, 1),
      heapTotalMb: round(mem.heapTotal / MB, 1),
      eventLoopMeanMs: round(meanMs),
      eventLoopP99Ms: round(p99Ms),
      eventLoopMaxMs: round(maxMs),
      cpuPercent,
      uptimeSeconds: Math.round(process.uptime()),
    };
  },
});
