import { pulseAsk } from './ask-op.js';
import { pulseHistory, pulseInsights, pulseStatus, pulseTrend } from './read-ops.js';
import { pulseBeat, pulseConfigure } from './write-ops.js';

export const pulseOps = [pulseStatus, pulseHistory, pulseTrend, pulseInsights, pulseAsk, pulseBeat, pulseConfigure];
