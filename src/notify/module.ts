import type { KernelModule } from '../kernel/module.js';
import { notifyMigrations } from './migrations.js';
import { NotifyService } from './notify-service.js';
import { notifyChannelsAdd, notifyChannelsList, notifyChannelsRemove, notifyChannelsTest } from './ops/channel-ops.js';
import { notifyHistory, notifySend } from './ops/send-ops.js';
import { notifyRuleOps } from './ops/rules-ops.js';
import { notifyCollector } from './pulse-collector.js';
import { routeEvents } from './routing.js';

declare module '../kernel/services.js' {
  interface Services {
    notify: NotifyService;
  }
}

const unrouted = new WeakMap<object, () => void>();

/** Telling the owner: channels, an outbox that retries, and routes from halts and pulse. */
export const notifyModule: KernelModule = {
  name: 'notify',
  migrations: notifyMigrations,
  ops: [notifyChannelsAdd, notifyChannelsList, notifyChannelsRemove, notifyChannelsTest, notifySend, notifyHistory, ...notifyRuleOps],
  init(kernel) {
    kernel.services.notify = new NotifyService(kernel);
  },
  start(kernel) {
    kernel.services.pulse?.collectors.add(notifyCollector);
    unrouted.set(kernel, routeEvents(kernel));
    kernel.services.notify.start();
  },
  async stop(kernel) {
    unrouted.get(kernel)?.();
    unrouted.delete(kernel);
    await kernel.services.notify.stop();
  },
};
