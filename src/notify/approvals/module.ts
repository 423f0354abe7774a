import type { KernelModule } from '../../kernel/module.js';
import { ApprovalLinks } from './approval-links.js';
import { acceptsApproveRoute, approveRoute } from './approve-route.js';
import { approvalsMigrations } from './migrations.js';

declare module '../../kernel/services.js' {
  interface Services {
    /** Optional to readers such as notify: `kernel.services.approvals?.linksFor(haltId)`. */
    approvals?: ApprovalLinks;
  }
}

/** One-tap approval links for halts: signed, single use, decided only by a POST from the rendered page. */
export const approvalsModule: KernelModule = {
  name: 'approvals',
  migrations: approvalsMigrations,
  init(kernel) {
    const links = new ApprovalLinks(kernel);
    kernel.services.approvals = links;
    // Before the ops route (20) and the static site: /approve/ is ours on kernel hosts.
    kernel.useHttp(15, approveRoute(kernel, links), acceptsApproveRoute, 'kernel');
  },
  start(kernel) {
    // Nothing is deciding at start: a claim on a pending halt is a decision a crash cut short.
    kernel.services.approvals?.used.releaseUndecided();
  },
};
