import type { AnyOp } from '../../kernel/ops/define.js';
import { blobOps } from './blob-ops.js';
import { dsOps } from './ds-ops.js';
import { kvOps } from './kv-ops.js';
import { storageUsageOp } from './usage-ops.js';

export const storageOps: AnyOp[] = [...kvOps, ...dsOps, ...blobOps, storageUsageOp];
